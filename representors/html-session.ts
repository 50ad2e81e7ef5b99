import type { Principal } from '../src/fsm/types.ts'
import { escapeHtml } from './html-escape.ts'
import { page } from './html-layout.ts'

const who = (p: Principal): string => `${p.name} — ${p.roles.join(', ')} in ${p.tenant}`

/** The sign-in page: who is signed in, a sign-out button, a demo user picker (when offered) and a token field; its forms post under `base`, where the app is mounted. */
export function renderSessionPage(signedIn: Principal | undefined, demoUsers: readonly Principal[], base = ''): string {
  const at = escapeHtml(base)
  const status = signedIn === undefined
    ? '<p>You are not signed in.</p>'
    : `<p>Signed in as <strong id="who">${escapeHtml(who(signedIn))}</strong>.</p>
<form class="action" method="post" action="${at}/session/delete"><button type="submit">Sign out</button></form>`
  const pick = demoUsers.length === 0
    ? ''
    : `<h2>Pick a demo user</h2>
<form class="action" method="post" action="${at}/session" id="form-pick">
<div class="field"><label for="form-pick-user">Demo user</label><select id="form-pick-user" name="user" required>${demoUsers.map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(who(u))}</option>`).join('')}</select></div>
<button type="submit">Sign in</button>
</form>`
  const paste = `<h2>Paste a token</h2>
<form class="action" method="post" action="${at}/session" id="form-token">
<div class="field"><label for="form-token-token">Bearer token</label><input type="password" id="form-token-token" name="token" required autocomplete="off" maxlength="512"></div>
<button type="submit">Sign in with this token</button>
</form>`
  return page(base, signedIn === undefined ? 'Sign in' : 'Signed in', `${status}
<p>Signing in stores your token in a cookie that only this server's own pages can use.</p>
${pick}
${paste}`)
}
