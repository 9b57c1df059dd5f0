/**
 * The widget's stylesheet, applied inside its shadow root as a constructable
 * stylesheet (`adoptedStyleSheets`), which a host page's CSP `style-src` does
 * not block. Pixel units only: `rem` would follow the host page's root font
 * size. `:host` rules are `!important` because the host page's rules (e.g.
 * `* { all: unset }`) otherwise win over them on the host element itself.
 * `--pc` (the site colour) is set on the host through the CSSOM. Dark mode
 * follows the visitor's system setting (`prefers-color-scheme`); the site
 * colour stays as the site chose it.
 */
export const CSS = `
:host{all:initial!important;color-scheme:light dark!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;right:20px!important;display:block!important}
:host([data-position=left]){right:auto!important;left:20px!important}
*{box-sizing:border-box;font:14px/20px system-ui,sans-serif;color:#111827;margin:0;padding:0}
[hidden]{display:none!important}
button{cursor:pointer;border:0;background:none}
:focus-visible{outline:2px solid var(--pc);outline-offset:2px}
.l{position:relative;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:28px;background:var(--pc);box-shadow:0 4px 14px #0004}
svg{width:28px;height:28px;fill:#fff}
.b{position:absolute;top:-4px;right:-4px;min-width:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif}
.p{position:absolute;bottom:72px;right:0;display:flex;flex-direction:column;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 110px);background:#fff;border-radius:12px;box-shadow:0 10px 40px #0005;overflow:hidden}
:host([data-position=left]) .p{right:auto;left:0}
header{display:flex;align-items:center;padding:12px 14px;background:var(--pc)}
header *{color:#fff}
header div{flex:1}
h2{font-weight:700;font-size:16px}
.s,small{display:block;font-size:12px}
.x{width:32px;font-size:22px}
.g{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}
.m{max-width:80%;padding:8px 12px;border-radius:12px;background:#fff;border:1px solid #e5e7eb;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.me{align-self:flex-end;background:var(--pc);border-color:var(--pc)}
.me,.me *{color:#fff}
.sy{align-self:center;background:none;border:0;font-size:12px;color:#6b7280}
.f{background:#fee2e2}
.f,.f *{color:#7f1d1d}
.f button{text-decoration:underline}
.c{padding:10px 14px;background:#fef3c7}
.c button,form button{margin-top:6px;padding:6px 12px;border-radius:8px;background:var(--pc);color:#fff;font-weight:600}
form{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid #e5e7eb}
form button{margin:0}
textarea{flex:1;resize:none;height:40px;padding:9px 10px;border:1px solid #d1d5db;border-radius:8px}
time{display:block;font-size:11px}
@media(max-width:480px){.p{position:fixed;inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media(prefers-color-scheme:dark){*{color:#f3f4f6}.p,.m{background:#1f2937}.g{background:#111827}.m{border-color:#4b5563}.me{background:var(--pc)}.sy{background:none;color:#9ca3af}.f{background:#7f1d1d}.f,.f *{color:#fee2e2}.c{background:#78350f}form{border-color:#4b5563}}
`;
