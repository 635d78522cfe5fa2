import { encodePng } from './png';

/**
 * A bar chart as a PNG, drawn pixel by pixel: the digest's customer messages per hour. Axis labels are numbers only,
 * drawn with a 3×5 pixel font; the words go in the Slack message around the image.
 */

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const BAR: Rgb = [18, 100, 163];
const PEAK: Rgb = [224, 30, 90];
const GRID: Rgb = [226, 226, 226];
const INK: Rgb = [70, 70, 70];

/** 3×5 glyphs, rows top to bottom, "#" = ink. */
const GLYPHS: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '###', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '..#', '..#', '..#'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  ':': ['...', '.#.', '...', '.#.', '...'],
  '.': ['...', '...', '...', '...', '.#.'],
};

class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fill(0, 0, width, height, WHITE);
  }

  fill(x: number, y: number, w: number, h: number, [r, g, b]: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) {
      for (let px = x0; px < x1; px++) {
        const i = (py * this.width + px) * 3;
        this.pixels[i] = r;
        this.pixels[i + 1] = g;
        this.pixels[i + 2] = b;
      }
    }
  }

  /** Text whose top-left corner is (x, y); unknown characters leave a gap. */
  text(x: number, y: number, text: string, scale: number, colour: Rgb): void {
    [...text].forEach((ch, i) => {
      const glyph = GLYPHS[ch];
      if (!glyph) return;
      glyph.forEach((row, gy) => {
        [...row].forEach((cell, gx) => {
          if (cell === '#') this.fill(x + (i * 4 + gx) * scale, y + gy * scale, scale, scale, colour);
        });
      });
    });
  }
}

export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * 4 - 1) * scale;
}

export interface BarChartInput {
  values: number[];
  /** Under each bar (digits and ":" only); undefined or "" leaves it blank. */
  labels: (string | undefined)[];
  width?: number;
  height?: number;
}

/** The tallest bar is highlighted; the y axis shows 0, about half, and the maximum (whole numbers: counts). */
export function renderBarChart(input: BarChartInput): Buffer {
  const width = input.width ?? 760;
  const height = input.height ?? 280;
  const scale = 2;
  const canvas = new Canvas(width, height);
  const max = Math.max(1, ...input.values);
  const left = textWidth(String(max), scale) + 16;
  const right = 10;
  const top = 14;
  const bottom = 5 * scale + 16;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  for (const tick of new Set([0, Math.round(max / 2), max])) {
    const y = top + plotHeight - Math.round((plotHeight * tick) / max);
    canvas.fill(left, y, plotWidth, 1, GRID);
    const label = String(tick);
    canvas.text(left - 8 - textWidth(label, scale), y - (5 * scale) / 2, label, scale, INK);
  }
  const n = Math.max(1, input.values.length);
  const slot = plotWidth / n;
  const gap = Math.max(1, Math.round(slot * 0.2));
  const peak = input.values.indexOf(Math.max(...input.values));
  input.values.forEach((value, i) => {
    const barHeight = Math.round((plotHeight * value) / max);
    if (barHeight > 0) canvas.fill(left + i * slot + gap / 2, top + plotHeight - barHeight, slot - gap, barHeight, i === peak ? PEAK : BAR);
    const label = input.labels[i];
    if (label) canvas.text(left + i * slot + (slot - textWidth(label, scale)) / 2, top + plotHeight + 8, label, scale, INK);
  });
  return encodePng(width, height, canvas.pixels);
}
