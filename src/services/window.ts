/**
 * The 24-hour customer service window: it opens when the customer writes and resets with each of their
 * messages; outside it WhatsApp only delivers approved templates (reference/whatsapp.md §5).
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WindowState {
  open: boolean;
  /** When it closes (open) or closed (closed); undefined when the customer never wrote. */
  closesAt?: Date;
}

export function windowState(lastInboundAt: Date | null | undefined, now: Date): WindowState {
  if (!lastInboundAt) return { open: false };
  const closesAt = new Date(lastInboundAt.getTime() + WINDOW_MS);
  return { open: closesAt.getTime() > now.getTime(), closesAt };
}
