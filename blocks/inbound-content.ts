import { escapeMrkdwn, link, literalMrkdwn, truncate } from './primitives';
import type { InboundMediaType, InboundView, OrderItemView, SharedContactView } from './types';

/**
 * The body of one customer message as mrkdwn. The post goes out under the customer's name (username override), so
 * sentences start with the verb: "sent a 120 MB video …".
 */
export function renderInboundBody(view: InboundView): string {
  switch (view.kind) {
    case 'text':
      return view.textMrkdwn.trim() ? view.textMrkdwn : '_(empty message)_';
    case 'media':
      return withCaption(describeMediaLabel(view), view.captionMrkdwn);
    case 'media_too_large': {
      const noun = mediaNoun(view.mediaType);
      const what = view.sizeBytes === undefined ? noun : `${formatSize(view.sizeBytes)} ${noun}`;
      const notice =
        `⚠️ sent ${withArticle(what)} — larger than the ${formatSize(view.limitBytes)} threadline brings into ` +
        'Slack. Ask them to share it another way.';
      return withCaption(notice, view.captionMrkdwn);
    }
    case 'media_unavailable': {
      const reason = escapeMrkdwn(view.reason.trim().replace(/\.+$/, ''));
      const notice =
        `⚠️ sent ${withArticle(mediaNoun(view.mediaType))} that threadline could not bring into Slack` +
        `${reason ? `: ${reason}` : ''}. Ask them to send it again.`;
      return withCaption(notice, view.captionMrkdwn);
    }
    case 'location':
      return describeLocation(view);
    case 'contacts':
      return view.contacts.length > 0
        ? view.contacts.map(describeContact).join('\n\n')
        : '👤 shared a contact card with no details';
    case 'interactive_reply': {
      const description = view.description?.trim();
      const chose = `Chose *${literalMrkdwn(view.title.trim())}*`;
      return description ? `${chose}\n_${literalMrkdwn(description)}_` : chose;
    }
    case 'button':
      return `Tapped *${literalMrkdwn(view.text.trim())}*`;
    case 'order':
      return describeOrder(view.items, view.text);
    case 'system':
      return `ℹ️ ${escapeMrkdwn(view.description)}`;
    case 'unsupported': {
      const type = view.unsupportedType?.trim();
      return (
        `⚠️ sent a message type WhatsApp does not deliver to the API${type ? ` (${escapeMrkdwn(type)})` : ''}. ` +
        'Ask them to send it as text.'
      );
    }
    case 'unknown': {
      const type = escapeMrkdwn(view.type.replace(/`/g, '').trim());
      return type
        ? `⚠️ sent a \`${type}\` message threadline cannot show yet.`
        : '⚠️ sent a message threadline cannot show yet.';
    }
    case 'unreadable': {
      const type = escapeMrkdwn(view.type.replace(/`/g, '').trim()) || 'message';
      return `⚠️ sent a \`${type}\` message threadline could not read. What arrived is kept (${escapeMrkdwn(view.reference)}); an admin can look it up.`;
    }
    default:
      return view satisfies never;
  }
}

function describeMediaLabel(view: Extract<InboundView, { kind: 'media' }>): string {
  switch (view.mediaType) {
    case 'image':
      return '🖼️ Photo';
    case 'video':
      return '🎬 Video';
    case 'audio':
      return view.voice ? '🎤 Voice note' : '🎵 Audio';
    case 'document': {
      const filename = view.filename?.trim();
      return filename ? `📄 ${escapeMrkdwn(truncate(filename, 200))}` : '📄 Document';
    }
    case 'sticker':
      return '🏷️ Sticker';
    default:
      return view.mediaType satisfies never;
  }
}

function mediaNoun(mediaType: InboundMediaType): string {
  switch (mediaType) {
    case 'image':
      return 'photo';
    case 'video':
      return 'video';
    case 'audio':
      return 'audio file';
    case 'document':
      return 'document';
    case 'sticker':
      return 'sticker';
    default:
      return mediaType satisfies never;
  }
}

function withCaption(lineMrkdwn: string, captionMrkdwn: string | undefined): string {
  return captionMrkdwn?.trim() ? `${lineMrkdwn}\n${captionMrkdwn}` : lineMrkdwn;
}

/** "a video", "an 8 MB video", "an 11 MB photo", "an audio file". */
function withArticle(phrase: string): string {
  const an = /^([aeiou]|8|1[18](\D|$))/i.test(phrase);
  return `${an ? 'an' : 'a'} ${phrase}`;
}

/** Sizes in MB of 1024 × 1024 bytes, the unit WhatsApp's "100 MB" media limit is stated in (whatsapp.md §3.3). */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 10) return `${Math.round(mb)} MB`;
  if (mb >= 1) return `${Number(mb.toFixed(1))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function describeLocation(view: Extract<InboundView, { kind: 'location' }>): string {
  const lines: string[] = [];
  const name = view.name?.trim();
  const address = view.address?.trim();
  const coordinates = `${view.latitude},${view.longitude}`;
  lines.push(name ? `📍 *${literalMrkdwn(name)}*` : `📍 Location ${coordinates}`);
  if (address) lines.push(escapeMrkdwn(address));
  const maps = `https://www.google.com/maps/search/?api=1&query=${coordinates}`;
  const links = [link(maps, 'Open in Google Maps')];
  const url = view.url?.trim();
  if (url) links.push(link(url, escapeMrkdwn(truncate(url, 100))));
  lines.push(links.join('  ·  '));
  return lines.join('\n');
}

function describeContact(contact: SharedContactView): string {
  const org = contact.org?.trim();
  const name = contact.name.trim() || 'Unnamed contact';
  const lines = [`👤 *${literalMrkdwn(name)}*${org ? ` — ${escapeMrkdwn(org)}` : ''}`];
  if (contact.phones.length > 0) lines.push(`📞 ${contact.phones.map((phone) => escapeMrkdwn(phone)).join(', ')}`);
  if (contact.emails.length > 0) lines.push(`✉️ ${contact.emails.map((email) => escapeMrkdwn(email)).join(', ')}`);
  return lines.join('\n');
}

function describeOrder(items: OrderItemView[], note: string | undefined): string {
  const lines = [`🛒 *Order* (${items.length} ${items.length === 1 ? 'item' : 'items'})`];
  const totals = new Map<string, number>();
  for (const item of items) {
    const quantity = item.quantity ?? 1;
    const currency = item.currency?.trim().toUpperCase() ?? '';
    const price = item.itemPrice === undefined ? '' : ` — ${formatMoney(item.itemPrice, currency)} each`;
    lines.push(`• ${quantity} × ${escapeMrkdwn(item.productRetailerId)}${price}`);
    if (item.itemPrice !== undefined) totals.set(currency, (totals.get(currency) ?? 0) + item.itemPrice * quantity);
  }
  if (totals.size > 0) {
    const sums = [...totals].map(([currency, sum]) => formatMoney(sum, currency));
    lines.push(`*Total:* ${sums.join(' + ')}`);
  }
  const text = note?.trim();
  if (text) lines.push(escapeMrkdwn(text));
  return lines.join('\n');
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function formatMoney(amount: number, currency: string): string {
  return `${money.format(amount)}${currency ? ` ${escapeMrkdwn(currency)}` : ''}`;
}
