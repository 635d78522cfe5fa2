/**
 * The emulator's customers: each has a phone (wa_id) and/or a business-scoped user id (BSUID), both naming the
 * same person (reference/whatsapp.md §6), and a 24-hour window that is open unless a test closes it (§5).
 */

export interface EmulatedCustomer {
  waId?: string | undefined;
  userId: string;
  windowOpen: boolean;
  /** When the customer last wrote (emulator clock, ms): the window lapses 24 hours later (reference/whatsapp.md §5). */
  lastMessageAtMs?: number | undefined;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Open unless a test closed it or 24 hours have passed since the customer's last message. */
export function isWindowOpen(customer: EmulatedCustomer, nowMs: number): boolean {
  return customer.windowOpen && (customer.lastMessageAtMs === undefined || nowMs - customer.lastMessageAtMs < WINDOW_MS);
}

/** BSUIDs look like "US.13491208655302741918" (reference/whatsapp.md §6). */
export function isBsuid(id: string): boolean {
  return /^[A-Z]{2}\.[A-Za-z0-9.]+$/.test(id);
}

export class CustomerDirectory {
  private readonly byId = new Map<string, EmulatedCustomer>();
  private nextBsuid = 7_300_000_000_000_000_001n;

  /** The customer named by either id, created (with a fresh BSUID) on first sight; ids given are linked. */
  resolve(ids: { waId?: string | undefined; userId?: string | undefined }): EmulatedCustomer {
    const waId = ids.waId?.replace(/\D/g, '') || undefined;
    const found = (waId ? this.byId.get(waId) : undefined) ?? (ids.userId ? this.byId.get(ids.userId) : undefined);
    const customer = found ?? { waId, userId: ids.userId ?? this.allocateBsuid(), windowOpen: true };
    if (waId && !customer.waId) customer.waId = waId;
    if (ids.userId && customer.userId !== ids.userId) {
      this.byId.delete(customer.userId);
      customer.userId = ids.userId;
    }
    if (customer.waId) this.byId.set(customer.waId, customer);
    this.byId.set(customer.userId, customer);
    return customer;
  }

  /** `id` is a wa_id (digits, "+" allowed) or a BSUID. */
  setWindow(id: string, open: boolean): void {
    const customer = isBsuid(id) ? this.resolve({ userId: id }) : this.resolve({ waId: id });
    customer.windowOpen = open;
    if (open) customer.lastMessageAtMs = undefined;
  }

  clear(): void {
    this.byId.clear();
  }

  private allocateBsuid(): string {
    return `US.${this.nextBsuid++}`;
  }
}
