import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { escapeHtml } from '../../representors/html-escape.ts'
import { htmlPattern } from '../../representors/html-forms.ts'
import { renderProblemPage } from '../../representors/html-problem.ts'
import { renderSessionPage } from '../../representors/html-session.ts'
import { html } from '../../representors/html.ts'
import type { Affordance, View } from '../../representors/types.ts'
import { compileType, createAjv } from '../../src/http/schemas.ts'
import { collectionView, historyView, resourceView } from '../../src/http/views/views.ts'
import { legalActions } from '../../src/legal-actions.ts'
import type { Principal, ResourceType } from '../../src/index.ts'
import { bookmark, visit } from '../../src/resources/index.ts'
import type { ResourceRow } from '../../src/store/types.ts'

// The HTML representor as a pure function: forms per legal action, escaping, no outside URLs.
const test = suite('representors/html')
const ajv = createAjv()
const compiled = new Map([bookmark, visit].map((t) => [t.name, compileType(ajv, t)]))
const admin: Principal = { id: 'north-admin', name: 'Admin', tenant: 'north', roles: ['admin'] }
const render = (view: View): string => html.render(view, { origin: 'http://localhost' })

const row = (type: ResourceType, state: string, data: Record<string, unknown> = {}, version = 7): ResourceRow =>
  ({ seq: 1, id: '0b7e2f7a-1111-4222-8333-944455556666', type: type.name, tenant: 'north', owner: 'north-reader', state, data, version, created_at: 0, updated_at: 0 })
const viewOf = (type: ResourceType, r: ResourceRow, who: Principal = admin) =>
  resourceView('', type, compiled.get(type.name)!, r, legalActions(type, r, who), [])

interface Field { readonly tag: string; readonly name: string; readonly type: string | undefined; readonly required: boolean; readonly attrs: string }
interface Form { readonly action: string; readonly method: string; readonly hidden: Record<string, string>; readonly fields: Field[]; readonly body: string }

const attrOf = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
// The action forms only: the filter form is a GET of its own.
const actionForms = (page: string): Form[] => formsOf(page.replace(/<form class="search"[\s\S]*?<\/form>/g, ''))

function formsOf(page: string): Form[] {
  return [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => {
    const body = m[2] ?? ''
    const controls = [...body.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
    const hidden: Record<string, string> = {}
    const fields: Field[] = []
    for (const c of controls) {
      const tag = c[0]
      if (attrOf(tag, 'type') === 'hidden') hidden[attrOf(tag, 'name') ?? ''] = attrOf(tag, 'value') ?? ''
      else fields.push({ tag: c[1] ?? '', name: attrOf(tag, 'name') ?? '', type: attrOf(tag, 'type'), required: /\srequired[\s>]/.test(tag), attrs: tag })
    }
    return { action: attrOf(m[1] ?? '', 'action') ?? '', method: attrOf(m[1] ?? '', 'method') ?? '', hidden, fields, body }
  })
}

// The fields each action's form must have, written out by hand from the schemas.
const expected: Record<string, [name: string, control: string, required: boolean][]> = {
  assign: [['clinician_id', 'input:text', true]],
  'check-in': [['lat', 'input:number', true], ['lon', 'input:number', true]],
  'check-out': [['notes', 'textarea', true]],
  cancel: [['reason', 'input:text', true]],
  'bookmark:create': [['bookmark_url', 'input:url', true], ['title', 'input:text', true], ['note', 'textarea', false]],
  'visit:create': [['patient', 'input:text', true], ['address', 'input:text', true], ['scheduled_for', 'input:datetime-local', true]],
}
const shape = (f: Field): [string, string, boolean] => [f.name, f.tag === 'input' ? `input:${f.type ?? ''}` : f.tag, f.required]

for (const type of [bookmark, visit]) {
  for (const state of type.machine.states) {
    test(`${type.name} in ${state}: exactly one form per legal action, with fields, targets and If-Match`, () => {
      const r = row(type, state)
      const page = render(viewOf(type, r))
      const legal = type.machine.actions.filter((a) => a.from.includes(state)).map((a) => a.name)
      const forms = formsOf(page)
      assert.equal(forms.map((f) => f.action), legal.map((a) => `/${type.collection}/${r.id}/${a}`))
      for (const [i, f] of forms.entries()) {
        const name = legal[i] as string
        assert.is(f.method, 'post')
        assert.equal(f.hidden, { _if_match: '&quot;7&quot;' }, 'the version as an entity tag')
        assert.equal(f.fields.map(shape), expected[name] ?? [], name)
        for (const field of f.fields) assert.ok(page.includes(`<label for="${attrOf(field.attrs, 'id') ?? '?'}">`), `label for ${field.name}`)
      }
      assert.match(page, new RegExp(`<span class="state" id="state">${state}</span>`))
      assert.ok(page.includes(`src="/machines/${type.machine.name}?state=${state}"`), 'diagram with the state highlighted')
      if (legal.length === 0) assert.match(page, /No action is open to you/)
    })
  }
}

test('schema constraints become input attributes', () => {
  const page = render(viewOf(visit, row(visit, 'en_route')))
  assert.match(page, /name="lat" required min="-90" max="90" step="any"/)
  assert.match(page, /name="lon" required min="-180" max="180" step="any"/)
  const assign = render(viewOf(visit, row(visit, 'scheduled')))
  assert.match(assign, /name="clinician_id" required minlength="1" maxlength="100" pattern="\^\[A-Za-z0-9_\.\\-\]\+\$"/)
})

test('JSON Schema patterns become patterns browsers compile with the same meaning', () => {
  assert.is(htmlPattern('^[a-z-]+$'), '^[a-z\\-]+$')
  assert.is(htmlPattern('^ab$'), '^ab$')
  assert.is(htmlPattern('b'), '[\\s\\S]*(?:b)[\\s\\S]*')
  assert.ok(new RegExp(`^(?:${htmlPattern('b') ?? ''})$`, 'v').test('abc'), 'unanchored still searches')
  assert.is(htmlPattern('(?<'), undefined)
})

test('only the actions in the view become forms (a clinician sees none on a visit not theirs)', () => {
  const clinician: Principal = { id: 'north-clinician-2', name: 'C2', tenant: 'north', roles: ['clinician'] }
  const page = render(viewOf(visit, row(visit, 'assigned', { clinician_id: 'north-clinician-1' }), clinician))
  assert.is(formsOf(page).length, 0)
})

test('an enum becomes a select with one option per value; an optional one starts blank', () => {
  const a: Affordance = { name: 'triage', title: 'Triage', method: 'POST', href: '/x/1/triage', contentType: 'application/json', input: { type: 'object', properties: { level: { enum: ['low', 'high'] }, colour: { type: 'string', enum: ['red'] } }, required: ['level'] } }
  const v = { ...viewOf(bookmark, row(bookmark, 'queued')), actions: [a] }
  const f = formsOf(render(v))[0]
  assert.equal(f?.fields.map(shape), [['level', 'select', true], ['colour', 'select', false]])
  assert.match(f?.body ?? '', /<select id="form-triage-level" name="level" required><option value="low">low<\/option><option value="high">high<\/option><\/select>/)
  assert.match(f?.body ?? '', /<select id="form-triage-colour" name="colour"><option value=""><\/option><option value="red">/)
})

test('collection pages list items, link the next page and offer the create form without If-Match', () => {
  const items = [viewOf(bookmark, row(bookmark, 'queued', { title: 'First' }))]
  const page = render(collectionView('', bookmark, compiled.get('bookmark')!, items, '/bookmarks?after=1', true))
  assert.match(page, /<a href="\/bookmarks\/0b7e2f7a-1111-4222-8333-944455556666" rel="item">First<\/a>/)
  assert.match(page, /<a href="\/bookmarks\?after=1" rel="next">Next page<\/a>/)
  const forms = actionForms(page)
  assert.is(forms.length, 1)
  assert.is(forms[0]?.action, '/bookmarks')
  assert.equal(forms[0]?.hidden, {})
  assert.equal(forms[0]?.fields.map(shape), expected['bookmark:create'])
  const visits = render(collectionView('', visit, compiled.get('visit')!, [], undefined, true))
  assert.equal(actionForms(visits)[0]?.fields.map(shape), expected['visit:create'])
  assert.not.match(visits, /rel="next"/)
  assert.is(actionForms(render(collectionView('', visit, compiled.get('visit')!, [], undefined, false))).length, 0, 'no create form without the role')
})

test('collection pages carry a filter form: GET to the collection, states as checkboxes, the filters in force filled in', () => {
  const page = render(collectionView('', visit, compiled.get('visit')!, [], undefined, false, undefined, 'status=assigned&scheduled_for_after=2026-12-01T09%3A00%3A00.000Z'))
  const form = /<form class="search" method="get" action="\/visits" data-action="search"[^>]*>([\s\S]*?)<\/form>/.exec(page)?.[1] ?? ''
  assert.match(form, /<input type="checkbox" id="search-status-1" name="status" value="assigned" checked>/)
  assert.match(form, /<input type="checkbox" id="search-status-0" name="status" value="scheduled">/)
  assert.match(form, /<input type="text" id="search-clinician_id" name="clinician_id">/)
  assert.match(form, /name="scheduled_for_after" placeholder="2026-12-01T09:00:00Z" value="2026-12-01T09:00:00.000Z">/)
  assert.match(form, /name="scheduled_for_before" placeholder="2026-12-01T09:00:00Z">/)
  assert.match(form, /<input type="radio" id="search-sort-1" name="sort" value="-scheduled_for"> scheduled_for, latest first/)
})

test('the entry page lists collections and machines', () => {
  const page = render({ kind: 'entry', url: '/', title: 'Affordance', links: [{ rel: 'bookmarks', href: '/bookmarks', title: 'bookmarks' }, { rel: 'bookmark-machine', href: '/machines/bookmark', title: 'bookmark machine' }] })
  assert.match(page, /<h2>Collections<\/h2><ul><li><a href="\/bookmarks" rel="bookmarks">bookmarks<\/a><\/li><\/ul>/)
  assert.match(page, /<h2>Machines<\/h2><ul><li><a href="\/machines\/bookmark" rel="bookmark-machine">bookmark machine<\/a><\/li><\/ul>/)
  assert.match(page, /<img class="diagram" src="\/machines\/bookmark" alt="Diagram of the bookmark machine">/)
})

test('escapeHtml escapes the five characters that matter and nothing else', () => {
  assert.is(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;')
  assert.is(escapeHtml('plain text é ✓'), 'plain text é ✓')
  assert.is(escapeHtml(42), '42')
})

const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>'<a href="//evil.example">`
const noMarkupFrom = (page: string): void => {
  assert.not.ok(page.includes('<script'), 'no script element')
  assert.not.ok(page.includes('<img src=x'), 'no injected image')
  assert.not.ok(page.includes('"//evil.example"'), 'no injected link')
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'shown as text')
}
const outsideUrls = (page: string): string[] => [...page.matchAll(/\b(?:src|href|action)="([^"]*)"/g)].map((m) => m[1] ?? '').filter((u) => /^(https?:|\/\/|javascript:)/i.test(u))

test('hostile data, keys, history and problem members are escaped everywhere', () => {
  const r = row(bookmark, 'read', { title: HOSTILE, bookmark_url: 'https://evil.example/steal', note: { [HOSTILE]: [HOSTILE] } })
  const v = resourceView('', bookmark, compiled.get('bookmark')!, r, legalActions(bookmark, r, admin), [
    { seq: 1, action: 'create', from: null, to: 'queued', input: { x: HOSTILE }, actor: HOSTILE, at: 0 },
  ])
  const pages = [
    render(v),
    render(collectionView('', bookmark, compiled.get('bookmark')!, [v], undefined, true)),
    render(historyView('', bookmark, r, [{ seq: 1, action: HOSTILE, from: HOSTILE, to: HOSTILE, input: HOSTILE, actor: null, at: 0 }])),
    renderProblemPage({ type: '/problems/illegal-transition', title: HOSTILE, status: 409, detail: HOSTILE, instance: `/bookmarks/${HOSTILE}/read`, current_state: HOSTILE, allowed_actions: [HOSTILE] }),
    renderSessionPage({ id: HOSTILE, name: HOSTILE, tenant: HOSTILE, roles: [HOSTILE] }, [{ id: HOSTILE, name: HOSTILE, tenant: 'north', roles: [] }]),
  ]
  for (const page of pages) {
    noMarkupFrom(page)
    assert.equal(outsideUrls(page), [], 'nothing points outside the server')
  }
  assert.ok(pages[0]?.includes('https://evil.example/steal'), 'an outside address in the data is shown as text')
})

test('no page loads anything from outside: one inline style, no scripts, a restrictive content policy', () => {
  const pages = [render(viewOf(visit, row(visit, 'en_route'))), renderProblemPage({ status: 412, title: 'Precondition Failed', detail: 'x', instance: '/visits/1/depart' }), renderSessionPage(undefined, [])]
  for (const page of pages) {
    assert.equal(outsideUrls(page), [])
    assert.is(page.match(/<style>/g)?.length, 1)
    assert.not.match(page, /<script|<link /)
    assert.match(page, /default-src 'none'/)
  }
})

test('a problem page carries status, title, detail and extras, and links back to the resource', () => {
  const page = renderProblemPage({ type: '/problems/illegal-transition', title: 'Illegal Transition', status: 409, detail: 'Cannot reread.', instance: '/bookmarks/abc/reread', current_state: 'queued', allowed_actions: ['read', 'archive'] })
  assert.match(page, /<h1>409 Illegal Transition<\/h1>/)
  assert.match(page, /Cannot reread\./)
  assert.match(page, /<dd data-member="current_state">queued<\/dd>/)
  assert.match(page, /<dd data-member="allowed_actions"><ul><li>read<\/li><li>archive<\/li><\/ul><\/dd>/)
  assert.match(page, /<a href="\/bookmarks\/abc" rel="up">Back to the resource<\/a>/)
  assert.match(renderProblemPage({ status: 404, title: 'Not Found', detail: 'x', instance: '/visits/nope?x=1' }), /<a href="\/visits">Back to visits<\/a>/)
  assert.match(renderProblemPage({ status: 401, title: 'Unauthorized', detail: 'x', instance: '/visits' }), /<a href="\/session">Sign in<\/a>/)
})
test.run()
