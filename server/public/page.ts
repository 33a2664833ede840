// The public drop pages as server-rendered HTML: mobile-first, readable without script, live counts added by a tiny script.
import { formatMoney } from '../../shared/money';
import type { PublicDrop, PublicDropItem, PublicStoreSnapshot } from '../../shared/public-drops';
import { ASSET_VERSION } from './assets';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

/** "Sat 5 Dec, 18:30" in the store's zone: absolute, so the page is the same from one second to the next. */
function when(iso: string, s: PublicStoreSnapshot): string {
  return new Intl.DateTimeFormat(s.locale, {
    timeZone: s.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

const time = (iso: string, s: PublicStoreSnapshot) =>
  `<time datetime="${esc(iso)}">${esc(when(iso, s))}</time>`;

const tierName = (tier: string) =>
  tier === 'everyone' ? 'Everyone' : tier[0]!.toUpperCase() + tier.slice(1);

const phaseText: Record<PublicDrop['phase'], string> = {
  live: 'Live now',
  early: 'Early access open',
  upcoming: 'Coming up',
};

const nextText: Record<NonNullable<PublicDrop['next']>['what'], string> = {
  'early-access': 'Early access opens',
  opens: 'Opens to everyone',
  closes: 'Closes',
};

function leftText(item: PublicDropItem): string {
  return item.left === 0 ? 'Sold out' : `${item.left} of ${item.quantity} left`;
}

function itemRow(drop: PublicDrop, item: PublicDropItem, s: PublicStoreSnapshot): string {
  const money = (v: number) => esc(formatMoney(v, s.currency, s.locale));
  const change = item.priceChanges
    ? [
        item.priceChanges.afterUnits !== undefined
          ? `after ${item.priceChanges.afterUnits} more sold`
          : '',
        item.priceChanges.at ? `at ${time(item.priceChanges.at, s)}` : '',
      ]
        .filter(Boolean)
        .join(' or ')
    : '';
  return `<li class="item" data-drop="${esc(drop.id)}" data-sku="${esc(item.sku)}">
<span class="name">${esc(item.name)}</span>
<span class="price">${money(item.price)} <small>${esc(item.stepLabel)}</small></span>
${change ? `<span class="change">Price ${item.nextPrice !== null ? `becomes ${money(item.nextPrice)} ` : 'changes '}${change}</span>` : ''}
<span class="left${item.left === 0 ? ' out' : ''}" data-left data-quantity="${item.quantity}" aria-live="polite">${leftText(item)}</span>
</li>`;
}

function dropSection(drop: PublicDrop, s: PublicStoreSnapshot, link: boolean): string {
  const title = link
    ? `<a href="/s/${encodeURIComponent(s.storeId)}/drops/${encodeURIComponent(drop.id)}">${esc(drop.name)}</a>`
    : esc(drop.name);
  return `<section class="drop" aria-labelledby="d-${esc(drop.id)}">
<h2 id="d-${esc(drop.id)}">${title}</h2>
<p class="phase phase-${drop.phase}">${phaseText[drop.phase]}${drop.next ? ` · ${nextText[drop.next.what]} ${time(drop.next.at, s)}` : ''}</p>
<ul class="items">${drop.items.map((i) => itemRow(drop, i, s)).join('')}</ul>
<h3>Who can buy when</h3>
<ul class="tiers">${drop.opens.map((o) => `<li>${esc(tierName(o.tier))}: from ${time(o.at, s)}</li>`).join('')}<li>Ends ${time(drop.endsAt, s)}</li></ul>
<p>${drop.restockAt ? `Restock expected ${time(drop.restockAt, s)}.` : 'No restock: when it is gone, it is gone.'}${drop.perCustomerLimit ? ` Limit ${drop.perCustomerLimit} per member.` : ''}</p>
</section>`;
}

function promises(s: PublicStoreSnapshot): string {
  const parts = [
    s.shippingPromise ? `<h3>Shipping</h3><p>${esc(s.shippingPromise)}</p>` : '',
    s.returnsPromise ? `<h3>Returns</h3><p>${esc(s.returnsPromise)}</p>` : '',
  ].join('');
  return parts ? `<section class="promises" aria-label="Our promises">${parts}</section>` : '';
}

function layout(s: PublicStoreSnapshot, title: string, body: string): string {
  const events = `/api/v1/public/stores/${encodeURIComponent(s.storeId)}/drops`;
  return `<!doctype html>
<html lang="${esc(s.locale.split('-')[0] ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/s/assets/page.css?v=${ASSET_VERSION}">
<script src="/s/assets/page.js?v=${ASSET_VERSION}" defer></script>
</head>
<body data-live="${esc(events)}">
<header><p class="store"><a href="/s/${encodeURIComponent(s.storeId)}">${esc(s.name)}</a></p></header>
<main>
<h1>${esc(title)}</h1>
<p class="status" data-status role="status">Counts as of page load.</p>
${body}
${promises(s)}
</main>
</body>
</html>`;
}

/** The store page: live drops first, then the coming ones. */
export function storePageHtml(s: PublicStoreSnapshot): string {
  const body = s.drops.length
    ? s.drops.map((d) => dropSection(d, s, true)).join('')
    : '<p>No drops live or coming up right now.</p>';
  return layout(s, `${s.name}: drops`, body);
}

/** One drop's page; null when the drop is not on the public page (unknown, cancelled or ended). */
export function dropPageHtml(s: PublicStoreSnapshot, dropId: string): string | null {
  const drop = s.drops.find((d) => d.id === dropId);
  return drop ? layout(s, drop.name, dropSection(drop, s, false)) : null;
}
