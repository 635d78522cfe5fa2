/**
 * A fetch failure in a few words ("ENOTFOUND slack.com", "timed out"): undici hides the socket error in a cause
 * chain (sometimes an AggregateError), and a raw stack tells an operator nothing about what to fix.
 */
export function describeNetworkError(error: unknown): string {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let timedOut = false;
  let innermost: string | undefined;
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, name, cause, errors, original, hostname, message } = current as Record<string, unknown>;
    if (typeof code === 'string' && /^E[A-Z]+$|^UND_ERR_/.test(code)) return typeof hostname === 'string' ? `${code} ${hostname}` : code;
    // Some runtimes (Jest's sandbox among them) keep only the socket error's text: "connect ECONNREFUSED 127.0.0.1:1".
    const inText = typeof message === 'string' ? /\b(?:connect |getaddrinfo )?(E[A-Z]{4,})\b(?: (\S+))?/.exec(message) : null;
    if (inText?.[1] && inText[1] !== 'Error') return inText[2] ? `${inText[1]} ${inText[2]}` : inText[1];
    if (name === 'TimeoutError' || name === 'AbortError') timedOut = true;
    if (current !== error && typeof message === 'string' && message) innermost = message;
    queue.push(cause, original, ...(Array.isArray(errors) ? errors : []));
  }
  if (timedOut) return 'timed out';
  const outer = error instanceof Error ? error.message : String(error);
  return innermost && innermost !== outer ? `${outer}: ${innermost}` : outer;
}
