// The public pages' stylesheet and script, served as files (no inline code, so a strict CSP holds); both tiny, no tracking.

/** Bump when either changes: the pages ask for `?v=`, so caches keep each version for good. */
export const ASSET_VERSION = '3';

export const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#111;--bg:#fff;--muted:#555;--accent:#0a5;--warn:#b40}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#111;--muted:#aaa;--accent:#4d9;--warn:#f96}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:40rem;margin:0 auto;padding:0 1rem}
header .store{font-weight:600;margin:.75rem 0 0}
a{color:inherit}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.3rem;margin:1.5rem 0 .25rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
.status{color:var(--muted);font-size:.9rem}
.phase{font-weight:600;color:var(--accent);margin:.25rem 0}
.phase-upcoming{color:var(--muted)}
.items{list-style:none;padding:0;margin:.5rem 0}
.item{display:grid;grid-template-columns:1fr auto;gap:.15rem .75rem;padding:.75rem 0;border-bottom:1px solid color-mix(in srgb,var(--fg) 15%,transparent)}
.item .name{font-weight:600}
.item .price{text-align:right}
.item .change{grid-column:1/-1;color:var(--muted);font-size:.9rem}
.item .left{grid-column:1/-1;font-size:1.15rem;font-weight:700}
.item .left.out{color:var(--warn)}
.tiers{padding-left:1.2rem;margin:.25rem 0}
.promises{margin:2rem 0;padding-top:.5rem;border-top:2px solid color-mix(in srgb,var(--fg) 25%,transparent)}
.claim button{font:inherit;font-weight:600;min-height:48px;padding:.5rem 1.25rem;border-radius:.5rem;border:2px solid currentColor;background:var(--accent);color:#fff;cursor:pointer}
.code{font:600 1.3rem ui-monospace,monospace;letter-spacing:.05em;word-break:break-all}
.qr{background:#fff;padding:12px;display:inline-block;border-radius:.5rem}
.qr svg{width:min(70vw,260px);height:auto;display:block}
.sign{color-scheme:light;--fg:#000;--bg:#fff}
.sign-label{max-width:100mm;text-align:center;padding:6mm 4mm}
.sign-store{font-weight:700;font-size:1.1rem;margin:0}
.sign h1{font-size:2.4rem;margin:2mm 0}
.sign-lead{font-size:1.05rem;margin:0 0 4mm}
.sign .qr svg{width:70mm;max-width:80vw;margin:0 auto}
.sign-url{font:600 .95rem ui-monospace,monospace;word-break:break-all;margin:3mm 0 0}
@page{size:100mm 150mm;margin:0}
@media print{.sign-label{width:100mm;height:150mm;overflow:hidden}}
`;

/**
 * Live counts: an EventSource on the page's data-live address + "/events"; if that fails (an old
 * browser, a proxy that buffers, the ledger shedding streams), polls the JSON every few seconds,
 * with an ETag so an unchanged answer is a bodyless 304.
 */
export const PAGE_JS = `(function(){
var base=document.body.getAttribute('data-live');if(!base)return;
var status=document.querySelector('[data-status]');
function show(counts){
  (counts.left||[]).forEach(function(c){
    var li=document.querySelector('[data-drop="'+CSS.escape(c.dropId)+'"][data-sku="'+CSS.escape(c.sku)+'"]');
    if(!li)return;var el=li.querySelector('[data-left]');if(!el)return;
    var q=el.getAttribute('data-quantity');
    var t=c.left===0?'Sold out':c.left+' of '+q+' left';
    if(el.textContent!==t){el.textContent=t;el.classList.toggle('out',c.left===0);}
  });
  if(status)status.textContent='Live: updated '+new Date().toLocaleTimeString();
}
var etag=null,timer=null,wait=0;
function poll(){
  fetch(base,{headers:etag?{'if-none-match':etag}:{}}).then(function(r){
    if(r.status===200){etag=r.headers.get('etag');return r.json().then(function(s){
      show({left:s.drops.reduce(function(a,d){return a.concat(d.items.map(function(i){return{dropId:d.id,sku:i.sku,left:i.left};}));},[])});});}
    if(r.status===304&&status)status.textContent='Live: updated '+new Date().toLocaleTimeString();
    if(r.status===503||r.status===429){wait=1000*(Number(r.headers.get('retry-after'))||5);if(status)status.textContent='Busy: counts update again shortly.';}
  }).catch(function(){if(status)status.textContent='Offline: counts may be out of date.';})
  .then(function(){var w=wait||2000+Math.random()*1000;wait=0;timer=setTimeout(poll,w);});
}
function fallback(){if(!timer)poll();}
if(!('EventSource' in window))return fallback();
var es=new EventSource(base+'/events'),opened=false;
es.addEventListener('counts',function(e){opened=true;try{show(JSON.parse(e.data));}catch(_){}});
es.onerror=function(){if(es.readyState===EventSource.CLOSED||!opened){es.close();fallback();}};
})();
`;
