import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../platform/crypto.ts';
import type { Lang } from '../../platform/i18n.ts';
import { phrase } from './phrases.ts';
import type { Playlist, PlaylistNotice, Slide } from './signage.ts';

/**
 * The screen page: a standalone HTML document (not the portal shell) for a TV at a
 * distance. The server renders every slide (so the page works with JavaScript off, a
 * meta refresh inside <noscript> stepping through them) and the playlist JSON carries
 * the same markup per slide, so the screen's script only swaps ready-made fragments.
 *
 * The script: rotates slides, runs the clock, follows /signage/{token}/events (refetching
 * the playlist on every (re)connect and on every change event), reconnects on its own
 * when no event or ping has arrived for a while or the network comes back, keeps the last
 * content while offline, reloads itself when the page code changed (CODE_VERSION), and
 * sends a heartbeat every minute.
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const LOCALE: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const TZ = 'Europe/Helsinki';

/** Seconds without any event or ping before the screen reconnects (the server pings every 15 s). */
export const WATCHDOG_SECONDS = 40;
export const PING_SECONDS = 15;
/** A playlist request hanging on a dead connection is given up after this and retried. */
const FETCH_TIMEOUT_SECONDS = 10;

function shortDate(isoValue: string, lang: Lang) {
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: TZ, day: 'numeric', month: 'numeric' }).format(new Date(isoValue));
}

function langAttr(l: Lang, page: Lang) {
  return l === page ? '' : ` lang="${l}"`;
}

/** One slide's markup (without `hidden`; the page and the script decide which one shows). */
export function slideHtml(s: Slide, lang: Lang): string {
  const label = (text: string) => `<p class="sg-label"><span>${esc(text)}</span></p>`;
  switch (s.kind) {
    case 'news':
    case 'bulletin': {
      const kind = s.kind === 'bulletin' ? phrase(lang, 'bulletin') : phrase(lang, s.itemKind === 'bulletin' ? 'bulletin' : s.itemKind);
      const when = s.itemKind === 'event' && s.eventStartsAt ? shortDate(s.eventStartsAt, lang) : s.publishedAt ? shortDate(s.publishedAt, lang) : '';
      const img = s.image ? `<div class="sg-media"><img src="${esc(s.image.url)}" alt="${esc(s.image.alt)}"></div>` : '';
      return `<article class="sg-slide sg-item${s.image ? ' sg-has-media' : ''}" data-slide="${esc(s.id)}"${langAttr(s.lang, lang)}><div class="sg-text">${label(
        when ? `${kind} · ${when}` : kind,
      )}<h2>${esc(s.title)}</h2>${s.lead ? `<p class="sg-lead">${esc(s.lead)}</p>` : ''}</div>${img}</article>`;
    }
    case 'image':
      return `<figure class="sg-slide sg-image" data-slide="${esc(s.id)}"><img src="${esc(s.url)}" alt="${esc(s.alt)}">${
        s.caption ? `<figcaption>${esc(s.caption)}</figcaption>` : ''
      }</figure>`;
    case 'text':
      return `<article class="sg-slide sg-note" data-slide="${esc(s.id)}">${label(phrase(lang, 'notice'))}<h2>${esc(s.title)}</h2>${
        s.body ? `<p class="sg-lead">${esc(s.body)}</p>` : ''
      }</article>`;
    case 'hours': {
      const hours = s.intervals.length ? s.intervals.map((i) => `${i.from}–${i.to}`).join(', ') : phrase(lang, 'closedToday');
      const opens = !s.open && s.opensAt ? ` · ${phrase(lang, 'opensAt', { when: s.opensAt.daysFromToday === 1 ? `${phrase(lang, 'tomorrow')} ${s.opensAt.time}` : s.opensAt.time })}` : '';
      const status = s.known ? `<p class="sg-status">${esc(phrase(lang, s.open ? 'openNow' : 'closedNow') + opens)}</p>` : '';
      return `<article class="sg-slide sg-hours" data-slide="${esc(s.id)}">${label(phrase(lang, 'hoursToday'))}<h2${langAttr(s.nameLang, lang)}>${esc(
        s.name,
      )}</h2><p class="sg-big">${esc(hours)}</p>${status}</article>`;
    }
  }
}

/** The slide shown when the playlist is empty: the screen still tells the time. */
export function welcomeHtml(lang: Lang, tenantName: string): string {
  return `<article class="sg-slide sg-note" data-slide="welcome"><h2>${esc(phrase(lang, 'noContent'))}</h2><p class="sg-lead">${esc(tenantName)}</p></article>`;
}

export function noticeHtml(n: PlaylistNotice, lang: Lang): string {
  const heading = phrase(lang, n.severity === 'danger' ? 'urgent' : n.severity === 'warning' ? 'warning' : 'info');
  return `<div class="sg-urgent-box"><p class="sg-urgent-title">${esc(heading)}</p><p class="sg-urgent-text"${langAttr(n.lang, lang)}>${esc(n.text)}</p></div>`;
}

/** The playlist as the screen's script receives it: the data plus each fragment's markup. */
export function playlistJson(p: Playlist, tenantName: string) {
  const lang = p.screen.lang;
  const slides = p.slides.length ? p.slides.map((s) => ({ ...s, html: slideHtml(s, lang) })) : [];
  return {
    version: CODE_VERSION,
    ...p,
    slides,
    emptyHtml: welcomeHtml(lang, tenantName),
    notice: p.notice ? { ...p.notice, html: noticeHtml(p.notice, lang) } : null,
  };
}

function clockParts(now: Date, lang: Lang) {
  const time = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  const date = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'numeric', year: 'numeric' }).format(now);
  return { time, date };
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const c = /^#[0-9a-f]{6}$/i.test(hex) ? hex : '#003479';
  const ch = [1, 3, 5].map((i) => {
    const v = parseInt(c.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

const safeColour = (c: string | undefined, fallback: string) => (c && /^#[0-9a-f]{6}$/i.test(c) ? c : fallback);

const CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;overflow:hidden}
body.sg{background:var(--sg-bg);color:var(--sg-fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:3.2vw;line-height:1.25;display:flex;flex-direction:column}
.sg-top{display:flex;justify-content:space-between;align-items:center;gap:2vw;padding:1.6vh 3vw;border-bottom:.4vh solid var(--sg-accent)}
.sg-brand{margin:0;font-size:2.6vw;font-weight:700}
.sg-clock{margin:0;text-align:right;font-size:2.6vw;font-variant-numeric:tabular-nums}
.sg-clock time{font-size:4vw;font-weight:700;display:block;line-height:1.1}
.sg-main{flex:1;position:relative;min-height:0;display:flex}
.sg-slides{flex:1;display:flex;min-height:0}
.sg-slide{flex:1;margin:0;padding:4vh 4vw;display:flex;flex-direction:column;justify-content:center;min-height:0;overflow:hidden}
.sg-slide[hidden]{display:none}
.sg-label{margin:0 0 2vh}
.sg-label span{display:inline-block;background:var(--sg-accent);color:var(--sg-accent-fg);padding:.3em .7em;border-radius:.3em;font-weight:700;font-size:.8em}
.sg-slide h2{margin:0 0 2.5vh;font-size:5vw;line-height:1.12;overflow-wrap:anywhere;hyphens:auto;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.sg-lead{margin:0;display:-webkit-box;-webkit-line-clamp:5;-webkit-box-orient:vertical;overflow:hidden}
.sg-item.sg-has-media{flex-direction:row;align-items:center;gap:4vw}
.sg-item.sg-has-media .sg-text{flex:1 1 55%;min-width:0}
.sg-item.sg-has-media h2{font-size:4vw}
.sg-media{flex:1 1 45%;min-width:0;display:flex;align-items:center;justify-content:center;max-height:100%}
.sg-media img,.sg-image img{max-width:100%;max-height:68vh;object-fit:contain;display:block}
.sg-image{align-items:center}
.sg-image figcaption{margin-top:2vh;font-size:2.8vw;text-align:center}
.sg-big{margin:0 0 2vh;font-size:7vw;font-weight:700;font-variant-numeric:tabular-nums}
.sg-status{margin:0;font-size:3.6vw}
.sg-urgent{display:none}
body.sg-has-urgent .sg-slides{display:none}
body.sg-has-urgent .sg-urgent{display:flex;flex:1;align-items:center;justify-content:center;padding:4vh 5vw}
body.sg-sev-danger{--sg-bg:#8b0000;--sg-fg:#ffffff;--sg-accent:#ffffff}
body.sg-sev-warning{--sg-bg:#ffd400;--sg-fg:#000000;--sg-accent:#000000}
body.sg-sev-info{--sg-bg:#ffffff;--sg-fg:#000000;--sg-accent:#000000}
.sg-urgent-box{border:1.2vh solid var(--sg-fg);padding:5vh 4vw;max-width:100%;max-height:100%;overflow:hidden}
.sg-urgent-title{margin:0 0 3vh;font-size:4vw;font-weight:800;text-transform:uppercase;letter-spacing:.04em}
.sg-urgent-text{margin:0;font-size:5.4vw;font-weight:700;line-height:1.15}
@media (orientation:portrait){
body.sg{font-size:4.6vw}
.sg-brand{font-size:4vw}.sg-clock{font-size:3.6vw}.sg-clock time{font-size:6.5vw}
.sg-slide{padding:4vh 5vw}
.sg-slide h2,.sg-item.sg-has-media h2{font-size:7.4vw;-webkit-line-clamp:4}
.sg-lead{-webkit-line-clamp:8}
.sg-item.sg-has-media{flex-direction:column-reverse;justify-content:flex-end;align-items:stretch}
.sg-media{flex:0 1 auto}
.sg-media img{max-height:38vh;margin:0 auto}
.sg-image img{max-height:70vh}
.sg-big{font-size:10vw}.sg-status{font-size:5.4vw}
.sg-urgent-title{font-size:6vw}.sg-urgent-text{font-size:7.6vw}
.sg-image figcaption{font-size:4.4vw}
}
`;

/** Runs in the screen's browser. Plain ES2017; reads its settings from #sg-config. */
const SCRIPT = `(function(){
var cfg=JSON.parse(document.getElementById('sg-config').textContent);
var base='/signage/'+cfg.token;
var body=document.body,slidesEl=document.getElementById('sg-slides'),urgentEl=document.getElementById('sg-urgent');
var timeEl=document.getElementById('sg-time'),dateEl=document.getElementById('sg-date');
var tf=new Intl.DateTimeFormat(cfg.locale,{timeZone:'${TZ}',hour:'2-digit',minute:'2-digit',hourCycle:'h23'});
var df=new Intl.DateTimeFormat(cfg.locale,{timeZone:'${TZ}',weekday:'long',day:'numeric',month:'numeric',year:'numeric'});
function tick(){var d=new Date();timeEl.textContent=tf.format(d);timeEl.setAttribute('datetime',d.toISOString());dateEl.textContent=df.format(d);}
tick();setInterval(tick,1000);
var index=cfg.index||0,seconds=cfg.slideSeconds,rotateTimer=null;
function slides(){return slidesEl.querySelectorAll('.sg-slide');}
function show(i){var s=slides();if(!s.length)return;index=((i%s.length)+s.length)%s.length;for(var k=0;k<s.length;k++){if(k===index)s[k].removeAttribute('hidden');else s[k].setAttribute('hidden','');}body.setAttribute('data-slide',s[index].getAttribute('data-slide')||'');}
function rotate(){clearInterval(rotateTimer);rotateTimer=setInterval(function(){show(index+1);},seconds*1000);}
show(index);rotate();
var current=cfg.slideKey,noticeKey=cfg.noticeKey,refreshTimer=null,fetching=false,again=false;
function apply(p){
 if(p.version!==cfg.version){location.reload();return;}
 if(p.screen.slideSeconds!==seconds){seconds=p.screen.slideSeconds;rotate();}
 var html=p.slides.length?p.slides.map(function(s){return s.html;}).join(''):p.emptyHtml;
 if(html!==current){var shown=slides()[index],id=shown&&shown.getAttribute('data-slide');current=html;slidesEl.innerHTML=html;var s=slides(),at=0;for(var k=0;k<s.length;k++)if(s[k].getAttribute('data-slide')===id)at=k;show(at);}
 var nk=p.notice?p.notice.id+'|'+p.notice.severity+'|'+p.notice.text:'';
 if(nk!==noticeKey){noticeKey=nk;body.classList.remove('sg-has-urgent','sg-sev-info','sg-sev-warning','sg-sev-danger');
  if(p.notice){urgentEl.innerHTML=p.notice.html;body.classList.add('sg-has-urgent','sg-sev-'+p.notice.severity);slidesEl.setAttribute('aria-hidden','true');}
  else{urgentEl.innerHTML='';slidesEl.removeAttribute('aria-hidden');}}
 clearTimeout(refreshTimer);refreshTimer=setTimeout(refetch,p.refreshInSeconds*1000);
}
function refetch(){
 if(fetching){again=true;return;}fetching=true;
 var ctl=new AbortController(),limit=setTimeout(function(){ctl.abort();},${FETCH_TIMEOUT_SECONDS}*1000);
 fetch(base+'/playlist.json',{cache:'no-store',credentials:'omit',signal:ctl.signal}).then(function(r){if(!r.ok)throw new Error(String(r.status));return r.json();})
 .then(function(p){body.removeAttribute('data-offline');apply(p);})
 .catch(function(){body.setAttribute('data-offline','1');clearTimeout(refreshTimer);refreshTimer=setTimeout(refetch,5000);})
 .then(function(){clearTimeout(limit);fetching=false;if(again){again=false;refetch();}});
}
var soon=null;function refetchSoon(){clearTimeout(soon);soon=setTimeout(refetch,300);}
var es=null,lastEvent=Date.now(),retry=null;
function connect(){
 clearTimeout(retry);if(es)es.close();lastEvent=Date.now();
 es=new EventSource(base+'/events');
 es.addEventListener('open',function(){lastEvent=Date.now();body.setAttribute('data-connected','1');refetch();});
 es.addEventListener('refresh',function(){lastEvent=Date.now();refetchSoon();});
 es.addEventListener('ping',function(e){lastEvent=Date.now();try{if(JSON.parse(e.data).version!==cfg.version)location.reload();}catch(x){}});
 es.addEventListener('error',function(){body.removeAttribute('data-connected');if(es.readyState===2){retry=setTimeout(connect,5000);}});
}
connect();
setInterval(function(){if(Date.now()-lastEvent>${WATCHDOG_SECONDS}*1000)connect();},5000);
window.addEventListener('online',function(){connect();});
function beat(){fetch(base+'/heartbeat',{method:'POST',credentials:'omit',cache:'no-store'}).catch(function(){});}
setInterval(beat,60000);
})();`;

/** Changes whenever this file changes: a screen that sees another version reloads itself. */
export const CODE_VERSION = sha256(safeRead(fileURLToPath(import.meta.url)) + CSS + SCRIPT).slice(0, 16);

function safeRead(path: string) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function screenPage(opts: {
  token: string;
  nonce: string;
  playlist: Playlist;
  tenantName: string;
  theme: { primary?: string; accent?: string };
  /** ?slide=n: which slide the page opens with (how the no-JavaScript refresh steps). */
  slideIndex: number;
}): string {
  const { playlist: p, token, nonce } = opts;
  const lang = p.screen.lang;
  const bg = safeColour(opts.theme.primary, '#003479');
  const accent = safeColour(opts.theme.accent, '#ffc61e');
  const vars = `:root{--sg-bg:${bg};--sg-fg:${textOn(bg)};--sg-accent:${accent};--sg-accent-fg:${textOn(accent)}}`;
  const fragments = p.slides.length ? p.slides.map((s) => slideHtml(s, lang)) : [welcomeHtml(lang, opts.tenantName)];
  const index = Number.isInteger(opts.slideIndex) && opts.slideIndex >= 0 ? opts.slideIndex % fragments.length : 0;
  const slides = fragments.map((h, i) => (i === index ? h : h.replace(/^<(\w+) /, '<$1 hidden '))).join('');
  const { time, date } = clockParts(new Date(), lang);
  const json = playlistJson(p, opts.tenantName);
  const config = {
    token,
    version: CODE_VERSION,
    locale: LOCALE[lang],
    slideSeconds: p.screen.slideSeconds,
    index,
    slideKey: json.slides.length ? json.slides.map((s) => s.html).join('') : json.emptyHtml,
    noticeKey: p.notice ? `${p.notice.id}|${p.notice.severity}|${p.notice.text}` : '',
  };
  const next = `/signage/${encodeURIComponent(token)}?slide=${(index + 1) % fragments.length}`;
  const urgentClass = p.notice ? ` sg-has-urgent sg-sev-${p.notice.severity}` : '';
  // </script> inside JSON would end the element early; \u003c keeps the JSON valid.
  const configJson = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="${lang}" data-orientation="${p.screen.orientation}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(`${p.screen.name} – ${opts.tenantName}`)}</title>
<noscript><meta http-equiv="refresh" content="${p.notice ? 30 : p.screen.slideSeconds};url=${esc(next)}"></noscript>
<style nonce="${nonce}">${vars}${CSS}</style>
</head>
<body class="sg${urgentClass}" data-version="${CODE_VERSION}">
<header class="sg-top"><h1 class="sg-brand">${esc(opts.tenantName)}</h1><p class="sg-clock"><time id="sg-time">${esc(time)}</time> <span id="sg-date">${esc(date)}</span></p></header>
<main class="sg-main">
<div id="sg-urgent" class="sg-urgent" aria-live="assertive">${p.notice ? noticeHtml(p.notice, lang) : ''}</div>
<div id="sg-slides" class="sg-slides"${p.notice ? ' aria-hidden="true"' : ''}>${slides}</div>
</main>
<script type="application/json" id="sg-config">${configJson}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
