import { inflateSync } from 'node:zlib';
import { renderBarChart } from '../../../src/charts/bar-chart';
import { crc32, encodePng } from '../../../src/charts/png';

/** Splits a PNG into its chunks, checking each CRC (PNG spec §5.3). */
function readChunks(png: Buffer): { type: string; data: Buffer }[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({ type: typeAndData.subarray(0, 4).toString('ascii'), data: typeAndData.subarray(4) });
    at += 12 + length;
  }
  return chunks;
}

describe('the PNG encoder', () => {
  it('computes the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes IHDR, IDAT and IEND with the pixels as filtered scanlines', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const chunks = readChunks(encodePng(2, 2, rgb));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([2, 2, 8, 2]);
    expect([...inflateSync(chunks[1]!.data)]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30]);
  });

  it('refuses pixel data of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(5))).toThrow(RangeError);
  });

  it('draws a bar chart of the requested size, taller bars covering more pixels', () => {
    const png = renderBarChart({ values: [0, 5, 10], labels: ['00', '01', '02'], width: 120, height: 80 });
    const chunks = readChunks(png);
    expect(chunks[0]!.data.readUInt32BE(0)).toBe(120);
    expect(chunks[0]!.data.readUInt32BE(4)).toBe(80);
    const raw = inflateSync(chunks[1]!.data);
    // Bars are the only coloured pixels (background, grid and labels are greys).
    const colouredIn = (x0: number, x1: number) => {
      let n = 0;
      for (let y = 0; y < 80; y++) {
        for (let x = x0; x < x1; x++) {
          const i = y * (120 * 3 + 1) + 1 + x * 3;
          if (!(raw[i] === raw[i + 1] && raw[i + 1] === raw[i + 2])) n++;
        }
      }
      return n;
    };
    // The y labels take 30 px, the right margin 10: three slots of about 26.7 px from x = 30.
    const [empty, half, full] = [colouredIn(31, 56), colouredIn(58, 82), colouredIn(85, 109)];
    expect(empty).toBe(0);
    expect(half).toBeGreaterThan(0);
    expect(full).toBeGreaterThan(half * 1.8);
  });
});
