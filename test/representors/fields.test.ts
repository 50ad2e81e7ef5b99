import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { hal, html, siren } from '../../representors/index.ts'
import type { Affordance, ResourceView, Schema } from '../../representors/types.ts'

// One input of every JSON Schema type, rendered by the three formats that carry fields.
const test = suite('fields: one model for HAL-FORMS, Siren and HTML')

const input: Schema = {
  type: 'object',
  properties: {
    text: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[a-z]+$', title: 'Text' },
    essay: { type: 'string', maxLength: 5000, description: 'Say it at length.' },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
    count: { type: 'integer', minimum: 1 },
    done: { type: 'boolean', title: 'Done' },
    colour: { enum: ['red', 'green'] },
    size: { type: 'integer', enum: [1, 2, 3] },
    when: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    site: { type: 'string', format: 'uri' },
    mail: { type: 'string', format: 'email' },
    tags: { type: 'array', items: { type: 'string' } },
    extra: { type: 'object' },
    owner: { type: 'string' },
  },
  required: ['text', 'done', 'colour', 'when'],
}

const action: Affordance = {
  name: 'edit',
  title: 'Edit',
  method: 'POST',
  href: '/things/1/edit',
  contentType: 'application/json',
  input,
  options: { owner: [{ value: 'ada', label: 'Ada' }, { value: 'alan' }] },
}

const view: ResourceView = {
  kind: 'resource', type: 'thing', url: '/things/1', id: '1', title: 'A thing', state: 'new', stateField: 'state',
  data: {}, version: 1, actions: [action], links: [{ rel: 'self', href: '/things/1' }],
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const halProps = (): Record<string, Json> => Object.fromEntries((JSON.parse(hal.render(view, { origin: 'http://x' })) as Json)._templates.edit.properties.map((p: Json) => [p.name, p]))
const sirenFields = (): Record<string, Json> => Object.fromEntries((JSON.parse(siren.render(view, { origin: 'http://x' })) as Json).actions[0].fields.map((f: Json) => [f.name, f]))
const page = (): string => html.render(view, { origin: 'http://x' })
/** The control an HTML field is, from its opening tag to its end (a select with its options). */
const control = (name: string): string => {
  const m = new RegExp(`<select[^>]*name="${name}"[^>]*>[\\s\\S]*?</select>|<(?:input|textarea)[^>]*name="${name}"[^>]*>`).exec(page())
  return m?.[0] ?? ''
}
const label = (name: string): string => new RegExp(`<label for="form-edit-${name}">([^<]*)</label>`).exec(page())?.[1] ?? ''

const types: [string, string, string][] = [
  // field, HAL-FORMS type, Siren type
  ['text', 'text', 'text'], ['essay', 'text', 'text'], ['ratio', 'number', 'number'], ['count', 'number', 'number'],
  ['done', 'text', 'checkbox'], ['colour', 'text', 'radio'], ['size', 'text', 'radio'], ['when', 'datetime-local', 'datetime-local'],
  ['day', 'date', 'date'], ['site', 'url', 'url'], ['mail', 'email', 'email'], ['tags', 'text', 'text'], ['extra', 'text', 'text'], ['owner', 'text', 'radio'],
]

test('every property is a field in the schema order, with one type per format', () => {
  const names = Object.keys(input.properties as object)
  assert.equal(Object.keys(halProps()), names)
  assert.equal(Object.keys(sirenFields()), names)
  assert.equal([...page().matchAll(/<label for="form-edit-([a-z]+)">/g)].map((m) => m[1]), names)
  for (const [name, halType, sirenType] of types) {
    assert.is(halProps()[name]?.type, halType, `HAL-FORMS ${name}`)
    assert.is(sirenFields()[name]?.type, sirenType, `Siren ${name}`)
  }
})

test('a boolean is a checkbox: HTML sends true when ticked, HAL-FORMS offers true and false', () => {
  assert.match(control('done'), /^<input type="checkbox" id="form-edit-done" name="done" value="true">$/)
  // A required checkbox would have to be ticked; unticked means false.
  assert.not.match(control('done'), /required/)
  assert.is(label('done'), 'Done')
  assert.equal(halProps().done?.options, { inline: [true, false], minItems: 1, maxItems: 1 })
  assert.is(sirenFields().done?.required, true)
})

test('numbers carry their bounds, integers a step of 1', () => {
  assert.match(control('ratio'), /type="number"[^>]* min="0" max="1" step="any"/)
  assert.match(control('count'), /type="number"[^>]* min="1" step="1"/)
  assert.equal([halProps().ratio?.min, halProps().ratio?.max, halProps().ratio?.step, halProps().count?.step], [0, 1, undefined, 1])
  assert.equal([sirenFields().ratio?.min, sirenFields().ratio?.max], [0, 1])
})

test('strings carry lengths and patterns; long text is a text area with its description', () => {
  assert.match(control('text'), /type="text"[^>]* required minlength="1" maxlength="40" pattern="\^\[a-z\]\+\$"/)
  assert.equal([halProps().text?.regex, halProps().text?.minLength, halProps().text?.prompt], ['^[a-z]+$', 1, 'Text'])
  assert.equal([sirenFields().text?.pattern, sirenFields().text?.maxLength, sirenFields().text?.title], ['^[a-z]+$', 40, 'Text'])
  assert.match(control('essay'), /^<textarea[^>]*maxlength="5000" rows="3">/)
  assert.match(page(), /<textarea[^>]*name="essay"[^>]*><\/textarea><small>Say it at length.<\/small>/)
  assert.is(label('essay'), 'essay (optional)')
})

test('an enum is one choice among its values, numbers kept as numbers', () => {
  assert.match(control('colour'), /^<select[^>]* required><option value="red">red<\/option><option value="green">green<\/option><\/select>$/)
  assert.match(control('size'), /^<select[^>]*><option value=""><\/option><option value="1">1<\/option>/)
  assert.equal(halProps().size?.options, { inline: [1, 2, 3], minItems: 0, maxItems: 1 })
  assert.equal(sirenFields().colour?.value, [{ value: 'red' }, { value: 'green' }])
})

test('the choices offered to the caller replace free text in every format', () => {
  assert.match(control('owner'), /^<select[^>]*><option value=""><\/option><option value="ada">Ada<\/option><option value="alan">alan<\/option><\/select>$/)
  assert.equal(halProps().owner?.options, { inline: [{ prompt: 'Ada', value: 'ada' }, 'alan'], minItems: 0, maxItems: 1 })
  assert.equal(sirenFields().owner?.value, [{ value: 'ada', title: 'Ada' }, { value: 'alan' }])
})

test('dates and times, URLs and e-mail addresses get their own input types', () => {
  assert.match(control('when'), /^<input type="datetime-local"[^>]* required step="1">$/)
  assert.is(label('when'), 'when (UTC)')
  assert.match(control('day'), /^<input type="date"/)
  assert.match(control('site'), /^<input type="url"/)
  assert.match(control('mail'), /^<input type="email"/)
})

test('arrays and objects, which no input holds, are JSON text in a text area', () => {
  assert.match(control('tags'), /^<textarea[^>]*name="tags"[^>]* rows="3">/)
  assert.is(label('tags'), 'tags (JSON, optional)')
  assert.match(control('extra'), /^<textarea[^>]*name="extra"/)
})

test.run()
