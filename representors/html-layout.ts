import { createHash } from 'node:crypto'
import { escapeHtml } from './html-escape.ts'

/** The one inline sheet of every page, so the explorer loads nothing but its own pages and diagrams; the server's content policy allows it by its hash. */
const PAGE_STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center}
header a{color:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #d0d4da}
a{color:#0b57d0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d0d4da;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#fff;padding:.6rem;border:1px solid #d0d4da}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
td code{overflow-wrap:anywhere}
.state{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#ffe08a;font-weight:700}
.forms{display:flex;flex-wrap:wrap;gap:1rem}
form.action{background:#fff;border:1px solid #d0d4da;padding:.8rem;min-width:16rem}
form.action h3{margin:0 0 .5rem;font-size:1rem}
.field{margin:0 0 .6rem}
.field label{display:block;font-weight:600}
input,select,textarea{font:inherit;padding:.2rem .4rem;width:100%;box-sizing:border-box}
button{font:inherit;padding:.3rem 1rem;background:#0b57d0;color:#fff;border:0;border-radius:.3rem;cursor:pointer}
button:focus,a:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f4b400}
.diagram{background:#fff;border:1px solid #d0d4da;padding:.5rem;max-width:100%}
.problem{background:#fff;border-left:6px solid #c5221f;padding:.6rem 1rem}
code{font-size:.9em}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
`

/**
 * The content policy a page carries in itself: no script, nothing from elsewhere, its one
 * sheet allowed by its hash (never 'unsafe-inline', which would admit injected styles too),
 * images and form posts to its own server only. The server adds what only a header can say.
 */
export const PAGE_POLICY = `default-src 'none'; img-src 'self'; style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'`

/** A whole page: one inline style sheet, its content policy, the navigation bar (under `base`, where the app is mounted) and the body. */
export function page(base: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">
<title>${escapeHtml(title)} · Affordance</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><a href="${escapeHtml(base)}/">Affordance</a><a href="${escapeHtml(base)}/session">Sign in or out</a></header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`
}

/** A value from resource data, shown as text (objects as JSON); never as a live link. */
export const showValue = (value: unknown): string =>
  escapeHtml(typeof value === 'string' ? value : JSON.stringify(value) ?? '')
