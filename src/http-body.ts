/**
 * A response body read up to `maxBytes`: past that the stream is cancelled and `too_large` returned, so a hostile
 * or broken server cannot make a download eat the process's memory (the declared Content-Length is not trusted).
 */
export async function readCapped(res: Response, maxBytes: number): Promise<Buffer | 'too_large'> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    return 'too_large';
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return 'too_large';
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
