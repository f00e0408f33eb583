// The JSON text of a stored record, worked out once per record object. Every save rewrites the whole
// of db.json, and nearly all of it is records that did not change since the last save: a record is
// replaced when it changes, never changed in place (see DbState), so its text can be kept with it
// and a save only serialises the records that are new. Kept in a WeakMap, the text goes when the
// record does.
const texts = new WeakMap<object, string>();

export function recordJson(record: object): string {
  let text = texts.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    texts.set(record, text);
  }
  return text;
}
