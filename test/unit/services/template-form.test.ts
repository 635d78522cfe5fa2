import { encodeTemplateMetadata, parseTemplateMetadata } from '../../../src/services/template-form';

describe('the template modal’s private_metadata', () => {
  it('reads back what the modal was opened with', () => {
    expect(parseTemplateMetadata(encodeTemplateMetadata({ c: 7, t: 3 }))).toEqual({ c: 7, t: 3 });
    expect(parseTemplateMetadata(encodeTemplateMetadata({ c: 2_147_483_647 }))).toEqual({ c: 2_147_483_647 });
  });

  // Found by test/fuzz: ids past int4 reached the conversation query, which failed, and the submission went unanswered.
  it.each([
    ['a conversation id past int4', '{"c":2147483648}'],
    ['a template id past int4', '{"c":1,"t":99999999999}'],
    ['a fractional id', '{"c":1.5}'],
    ['a string id', '{"c":"1"}'],
    ['no conversation', '{"t":1}'],
    ['not JSON', '{"c":'],
  ])('refuses %s', (_what, raw) => {
    expect(parseTemplateMetadata(raw)).toBeUndefined();
  });

  it('refuses metadata that is not a string', () => {
    expect(parseTemplateMetadata({ c: 1 })).toBeUndefined();
  });
});
