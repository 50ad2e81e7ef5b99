import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decodeEntities, readHtml } from '../../src/client/read-html.ts'

// Fixtures written from the HTML forms model: <a>/<link>, <form method action enctype>, controls.
const test = suite('client: HTML reader')
const base = 'http://localhost/visits/7'

const page = `<!doctype html><html><head><title>Visit</title><link rel="stylesheet" href="/style.css"></head><body>
<!-- <a rel="ghost" href="/ghost">commented out</a> -->
<nav><a rel="collection" href="/visits">All visits</a> <a href='/visits/7/history'>History &amp; log</a> <a rel="item" href="/visits/8">next one</a></nav>
<dl><dt>patient</dt><dd>Ada &lt;Countess&gt; Lovelace</dd><dt>status</dt><dd><span class="state">en route</span> <em>now</em></dd><dt>empty</dt><dd></dd></dl>
<form method="post" action="/visits/7/check-in" data-action="check-in">
  <input type="hidden" name="_if_match" value="&quot;3-j1&quot;">
  <label>Latitude <input type="number" name="lat" min="-90" max="90" step="any" required></label>
  <input name=lon type=number min=-180 max=180>
  <button type="submit">Check in</button>
</form>
<form method="POST" action="/visits/7/cancel"><textarea name="reason" maxlength="200" required></textarea><select name="why"><option value="ill">Ill</option><option>Other</option></select><button>Cancel visit</button></form>
<form method="post" action="/visits/7/depart" enctype="application/json"><input type="submit" value="Depart now"></form>
<form action="/visits"><input type="search" name="q"></form>
<form method="post" action="/"><input type="submit" value="Start over"></form>
<script>document.write('<form action="/evil" name="evil"></form>')</script>
</body></html>`
const reading = readHtml(page, base)

test('links by rel, or by their text when they have none; rel=item lists items; comments and scripts are ignored', () => {
  assert.equal(reading.links, { stylesheet: 'http://localhost/style.css', collection: 'http://localhost/visits', 'history-log': 'http://localhost/visits/7/history' })
  assert.equal(reading.items, ['http://localhost/visits/8'])
})

test('definition lists are the data, entities decoded', () => {
  assert.equal(reading.data, { patient: 'Ada <Countess> Lovelace', status: 'en route now', empty: '' })
})

test('each form is an action, named by data-action, its target or its button', () => {
  assert.equal(Object.keys(reading.actions), ['check-in', 'cancel', 'depart', 'visits', 'start-over'])
  assert.equal(reading.actions['check-in'], {
    href: 'http://localhost/visits/7/check-in', method: 'POST', contentType: 'application/x-www-form-urlencoded',
    fields: [{ name: '_if_match', type: 'hidden', value: '"3-j1"' }, { name: 'lat', type: 'number', required: true, min: -90, max: 90 }, { name: 'lon', type: 'number', min: -180, max: 180 }],
  })
  assert.equal(reading.actions.cancel?.fields, [{ name: 'reason', type: 'textarea', required: true, maxLength: 200 }, { name: 'why', type: 'select', options: ['ill', 'Other'] }])
  assert.is(reading.actions.depart?.contentType, 'application/json')
  assert.is(reading.actions.visits?.method, 'GET')
})

test('character references: named, decimal, hex; unknown ones stay', () => {
  assert.is(decodeEntities('&lt;a&gt; &#65;&#x42; &bogus; &amp;amp;'), '<a> AB &bogus; &amp;')
})

test('broken markup and odd targets give what could be read, never throw', () => {
  for (const html of ['', '<form action="%zz" method=post><input name=a>', '<a href="http://[bad">x</a><form action="http://[bad"></form>', '<dt>k<dd>v', '<<<>>>']) readHtml(html, base)
  assert.equal(Object.keys(readHtml('<form method=post action="/x/%E0%A4%A"></form>', base).actions), ['submit'])
})

test.run()
