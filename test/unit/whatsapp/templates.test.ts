import { defaultTemplateCatalogue } from '../../../src/emulators/graph-templates';
import { explainGraphError } from '../../../src/whatsapp/error-codes';
import {
  attachHeaderMedia,
  buildTemplateSend,
  checkTemplateValues,
  describeTemplate,
  fieldsOf,
  renderTemplate,
  variablesIn,
} from '../../../src/whatsapp/templates';

const catalogue = defaultTemplateCatalogue();
function shapeOf(name: string, language = 'en_US') {
  const t = catalogue.find((x) => x.name === name && x.language === language);
  if (!t) throw new Error(`no ${name}`);
  return describeTemplate({ ...t, parameterFormat: t.parameter_format });
}

describe('template variables', () => {
  it('lists positional variables in numeric order and each once, named ones in order of appearance', () => {
    expect(variablesIn('{{2}} then {{1}} and {{2}} again')).toEqual(['1', '2']);
    expect(variablesIn('Hi {{customer_name}}, {{ agent_name }} here, {{customer_name}}')).toEqual(['customer_name', 'agent_name']);
  });

  it('reads header text, body, footer and a URL button suffix, with Meta’s examples as placeholders', () => {
    const shape = shapeOf('order_update');
    expect(fieldsOf(shape)).toEqual([
      { id: 'header:1', label: 'Header {{1}}', example: '#1042', variable: '1' },
      { id: 'body:1', label: '{{1}}', example: 'Maria', variable: '1' },
      { id: 'body:2', label: '{{2}}', example: '#1042', variable: '2' },
      { id: 'body:3', label: '{{3}}', example: 'on its way', variable: '3' },
      { id: 'button:0', label: '“Track it” link ending', example: '1042' },
    ]);
  });

  it('reads named examples and a media header', () => {
    expect(fieldsOf(shapeOf('follow_up_named')).map((f) => [f.id, f.example])).toEqual([
      ['body:customer_name', 'Maria'],
      ['body:agent_name', 'Ana'],
    ]);
    expect(fieldsOf(shapeOf('spring_sale')).slice(0, 2)).toEqual([
      { id: 'header_link', label: 'Header image: a link', optional: true, hint: 'An https:// link to the image, or upload it below.' },
      { id: 'header_file', label: '…or upload the image', kind: 'file', optional: true, hint: 'JPEG or PNG, up to 5 MB.', filetypes: ['jpg', 'jpeg', 'png'] },
    ]);
  });

  it('never throws on components it does not know', () => {
    const shape = describeTemplate({ name: 'x', language: 'en', category: 'UTILITY', components: [null, 3, { type: 'CAROUSEL' }, { type: 'BODY' }] });
    expect(fieldsOf(shape)).toEqual([]);
  });
});

describe('filling a template', () => {
  it('refuses empty values, new lines and long runs of spaces next to the field', () => {
    const shape = shapeOf('order_update');
    const errors = checkTemplateValues(shape, { 'header:1': '#7', 'body:1': 'Maria', 'body:2': 'a\nb', 'body:3': 'x     y' });
    expect(Object.keys(errors).sort()).toEqual(['body:2', 'body:3', 'button:0']);
  });

  it('refuses a header link that is not https', () => {
    expect(checkTemplateValues(shapeOf('spring_sale'), { header_link: 'ftp://x', 'body:1': 'A', 'body:2': 'B' })).toEqual({
      header_link: 'This must be an https:// link to the file.',
    });
  });

  it('takes a media header as a link or one uploaded file of its own type and size, never both', () => {
    const shape = shapeOf('invoice_ready', 'pt_BR');
    const body = { 'body:1': 'Maria' };
    const pdf = { name: 'invoice.pdf', mimetype: 'application/pdf', size: 20_000 };
    expect(checkTemplateValues(shape, body)).toEqual({ header_link: 'Give a link to the document (https://…), or upload it below.' });
    expect(checkTemplateValues(shape, body, pdf)).toEqual({});
    expect(checkTemplateValues(shape, { ...body, header_link: 'https://x.example/a.pdf' }, pdf)).toEqual({ header_file: 'Give a link or upload a file, not both.' });
    // Judged by extension when Slack reports no useful type.
    expect(checkTemplateValues(shape, body, { ...pdf, mimetype: 'application/octet-stream' })).toEqual({});
    expect(checkTemplateValues(shape, body, { name: 'song.mp3', mimetype: 'audio/mpeg', size: 1000 })).toEqual({
      header_file: "This template's header takes a PDF, TXT, Word, Excel or PowerPoint document; .mp3 files (audio/mpeg) are not accepted.",
    });
    expect(checkTemplateValues(shape, body, { ...pdf, size: 0 })).toEqual({ header_file: 'This file is empty.' });
  });

  it('puts an uploaded header file in the send by its media id, the document with its name', () => {
    const shape = shapeOf('invoice_ready', 'pt_BR');
    const values = { 'body:1': 'Maria', header_file: 'invoice.pdf' };
    const template = buildTemplateSend(shape, values);
    expect(template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }]);
    expect(attachHeaderMedia(template, { type: 'document', mediaId: '42', filename: 'invoice.pdf' }).components).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { id: '42', filename: 'invoice.pdf' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Maria' }] },
    ]);
    expect(attachHeaderMedia(buildTemplateSend(shapeOf('spring_sale'), { 'body:1': 'A', 'body:2': 'B' }), { type: 'image', mediaId: '7', filename: 'x.png' }).components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'image', image: { id: '7' } }],
    });
    expect(renderTemplate(shape, values)).toContain('[document: invoice.pdf]');
  });

  it('builds the send with exactly the values typed, positional and named', () => {
    const values = { 'header:1': '#7', 'body:1': 'Maria', 'body:2': '#7', 'body:3': 'ready', 'button:0': '7' };
    expect(checkTemplateValues(shapeOf('order_update'), values)).toEqual({});
    expect(buildTemplateSend(shapeOf('order_update'), values)).toEqual({
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: '#7' }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '#7' }, { type: 'text', text: 'ready' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '7' }] },
      ],
    });
    expect(buildTemplateSend(shapeOf('follow_up_named'), { 'body:customer_name': 'Maria', 'body:agent_name': 'Ana' }).components).toEqual([
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Maria' }, { type: 'text', parameter_name: 'agent_name', text: 'Ana' }] },
    ]);
  });

  it('renders what the customer will read', () => {
    const text = renderTemplate(shapeOf('order_update'), { 'header:1': '#7', 'body:1': 'Maria', 'body:2': '#7', 'body:3': 'ready' });
    expect(text).toBe('*Order #7*\nHi Maria, your order #7 is ready.\n_Reply STOP to opt out_\n[Track it]');
  });
});

describe("Meta's template errors in plain words", () => {
  it.each([
    [132000, 'number of values does not match'],
    [132001, 'does not exist in this language'],
    [132005, 'too long'],
    [132012, 'wrong format'],
    [132015, 'Meta paused it'],
    [132016, 'Meta disabled it'],
    [131050, 'stopped marketing messages'],
    [131049, 'marketing message back'],
  ])('%i says what happened', (code, words) => {
    expect(explainGraphError({ code })).toContain(words);
  });
});
