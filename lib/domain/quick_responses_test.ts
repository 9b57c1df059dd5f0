import assert from "node:assert/strict";
import {
  customFields,
  fillTemplate,
  listPlaceholders,
  previewTemplate,
  validateTemplate,
} from "./quick_responses.ts";

Deno.test("[quick-responses] fills built-ins, context values and custom fields", () => {
  const result = fillTemplate(
    "Hi {{contact.firstName}}, I'm {{ agent.name }}. Your {{context.plan}} order {{field:Order number}} ships today.",
    {
      contact: { name: "Ada Lovelace" },
      agent: { name: "Sam Rivera" },
      context: { plan: "Pro" },
      fields: { "Order number": "A-17" },
    },
  );
  assert.deepEqual(result, {
    ok: true,
    text: "Hi Ada, I'm Sam Rivera. Your Pro order A-17 ships today.",
  });
});

Deno.test("[quick-responses] a missing or blank value is reported, never sent blank", () => {
  const result = fillTemplate(
    "Dear {{contact.name}}, {{field:Reason}} {{field:Reason}} {{context.x}}",
    {
      contact: { name: "   " },
      fields: { Reason: "" },
      context: {},
    },
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.missing.map((p) => p.raw), [
    "{{contact.name}}",
    "{{field:Reason}}",
    "{{context.x}}",
  ]);
  assert.equal("text" in result, false);
});

Deno.test("[quick-responses] context keys are not looked up on the prototype", () => {
  const result = fillTemplate("{{context.toString}}", { context: {} });
  assert.equal(result.ok, false);
});

Deno.test("[quick-responses] syntax errors name the problem and where it is", () => {
  assert.deepEqual(validateTemplate("Plain text with { single } braces"), []);
  const cases: Array<[string, RegExp]> = [
    ["Hello {{contact.name", /"\{\{" at character 7 is not closed/],
    ["Hello }} there", /"\}\}" at character 7 has no opening/],
    ["{{}}", /Empty placeholder/],
    ["{{customer.name}}", /Unknown placeholder \{\{customer\.name\}\}.*contact\.name/],
    ["{{context.}}", /needs a key/],
    ["{{field: }}", /needs a label/],
    ["{{contact.name {{agent.name}}", /not closed/],
  ];
  for (const [body, expected] of cases) {
    const issues = validateTemplate(body);
    assert.equal(issues.length >= 1, true, body);
    assert.match(issues[0], expected, body);
  }
  const result = fillTemplate("{{nope}}", {});
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.issues.length, 1);
});

Deno.test("[quick-responses] lists placeholders and custom fields once, in order", () => {
  const body = "{{field:B}} {{agent.name}} {{field:A}} {{field:B}} {{context.k}}";
  assert.deepEqual(customFields(body), ["B", "A"]);
  assert.deepEqual(listPlaceholders(body).map((p) => p.kind), [
    "field",
    "builtin",
    "field",
    "context",
  ]);
});

Deno.test("[quick-responses] preview marks missing values", () => {
  assert.deepEqual(
    previewTemplate("Hi {{contact.name}}{{field:X}}!", { contact: { name: "Bo" } }),
    [
      { text: "Hi " },
      { placeholder: "{{contact.name}}", value: "Bo" },
      { placeholder: "{{field:X}}", value: null },
      { text: "!" },
    ],
  );
});

Deno.test("[quick-responses] random templates: never throws; a filled one has no braces left", () => {
  const pieces = [
    "{{",
    "}}",
    "{",
    "}",
    "contact.name",
    "field:Order",
    "context.plan",
    " ",
    "hi",
    ":",
  ];
  const values = {
    contact: { name: "Ada" },
    context: { plan: "Pro" },
    fields: { Order: "A-1" },
  };
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let valid = 0;
  let filled = 0;
  for (let i = 0; i < 3000; i++) {
    const body = Array.from(
      { length: 1 + Math.floor(random() * 12) },
      () => pieces[Math.floor(random() * pieces.length)],
    ).join("");
    const issues = validateTemplate(body);
    const result = fillTemplate(body, values);
    if (issues.length === 0) {
      valid++;
      if (result.ok) {
        filled++;
        assert.equal(result.text.includes("{{"), false, body);
        assert.equal(result.text.includes("}}"), false, body);
      } else {
        assert.deepEqual(result.issues, [], body);
        assert.ok(result.missing.length > 0, body);
      }
    } else {
      assert.equal(result.ok, false, body);
    }
  }
  assert.ok(valid > 100 && filled > 50, "the generator produces valid, fillable templates too");
});
