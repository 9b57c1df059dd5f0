/**
 * The widget's file words (files_words.ts): every language says every
 * message, names the real size limit, and keeps its `{n}` where the file's
 * name or size goes; sizes read in the visitor's language (files.ts).
 */
import assert from "node:assert/strict";
import { FILE_WORDS, fileWords } from "./files_words.ts";
import { sizeText } from "./files.ts";
import { MAX_ATTACHMENT_BYTES } from "../lib/domain/attachments.ts";

Deno.test("[widget] file words: every language, every key, the real limit, the placeholders", () => {
  const keys = Object.keys(FILE_WORDS.en).sort();
  assert.deepEqual(Object.keys(FILE_WORDS).sort(), ["de", "en", "es", "pt"]);
  const limit = `${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`;
  for (const [lang, words] of Object.entries(FILE_WORDS)) {
    assert.deepEqual(Object.keys(words).sort(), keys, lang);
    assert.ok(words.big.includes(limit), `${lang} names the ${limit} limit`);
    for (const k of ["big", "sent", "remove"] as const) {
      assert.ok(words[k].includes("{n}"), `${lang}.${k} has {n}`);
    }
    for (const [k, text] of Object.entries(words)) {
      if (lang !== "en") assert.notEqual(text, FILE_WORDS.en[k as "up"], `${lang}.${k} translated`);
    }
  }
  assert.equal(fileWords("pt-BR").attach, "Anexar um arquivo");
  assert.equal(fileWords("xx").attach, "Attach a file");
  assert.equal(fileWords(undefined).attach, "Attach a file");
});

Deno.test("[widget] sizes in the visitor's language; a bad language tag still gives a size", () => {
  assert.equal(sizeText(512), "512 B");
  assert.equal(sizeText(11 * 1024 * 1024, "en"), "11.0 MB");
  assert.equal(sizeText(11 * 1024 * 1024, "pt-BR"), "11,0 MB");
  assert.equal(sizeText(2.25 * 1024 * 1024, "es"), "2,3 MB");
  assert.equal(sizeText(11 * 1024 * 1024, "not a tag!"), "11.0 MB");
});
