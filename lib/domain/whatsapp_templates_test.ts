import assert from "node:assert/strict";
import {
  checkTemplateValues,
  placeholdersIn,
  prefillTemplateValues,
  renderTemplate,
  templateMessageData,
  templateSendObject,
  type WhatsAppTemplate,
} from "./whatsapp_templates.ts";

const named: WhatsAppTemplate = {
  id: "1",
  name: "follow_up",
  language: "es",
  status: "APPROVED",
  category: "UTILITY",
  parameterFormat: "named",
  header: null,
  body: "Hola {{customer_name}}, pedido {{order_id}} ({{plan}}), {{agent_name}}",
  footer: null,
  buttons: [],
  variables: ["customer_name", "order_id", "plan", "agent_name"].map((key) => ({
    component: "body" as const,
    key,
    example: null,
  })),
  unsupported: null,
};

Deno.test("[whatsapp] templates: placeholders in order, once each", () => {
  assert.deepEqual(placeholdersIn("{{2}} {{1}} {{ 2 }} {{name}}"), ["2", "1", "name"]);
});

Deno.test("[whatsapp] templates: prefill from contact, agent and context where names match", () => {
  const values = prefillTemplateValues(named, {
    contact: { name: "Ana Lima" },
    agent: { name: "Wanda" },
    context: { orderId: "A-77" },
  });
  assert.deepEqual(values, {
    "body:customer_name": "Ana Lima",
    "body:order_id": "A-77",
    "body:agent_name": "Wanda",
  });
  const positional = {
    ...named,
    parameterFormat: "positional" as const,
    variables: [{ component: "body" as const, key: "1", example: null }],
  };
  assert.deepEqual(prefillTemplateValues(positional, { contact: { name: "Ana" } }), {});
});

Deno.test("[whatsapp] templates: values checked, rendered and sent in the template's order", () => {
  const values = {
    "body:customer_name": "Ana",
    "body:order_id": "A-77",
    "body:plan": "  pro ",
    "body:agent_name": "Wanda",
  };
  assert.deepEqual(checkTemplateValues(named, values), {});
  assert.deepEqual(checkTemplateValues(named, { ...values, "body:plan": "a\tb" }), {
    "body:plan": "No line breaks, tabs or runs of more than four spaces.",
  });
  assert.deepEqual(Object.keys(checkTemplateValues(named, {})).length, 4);
  assert.equal(renderTemplate(named, values), "Hola Ana, pedido A-77 (pro), Wanda");
  assert.equal(renderTemplate(named, {}), named.body, "unfilled placeholders stay visible");
  const send = templateSendObject(templateMessageData(named, values));
  assert.deepEqual(send.components?.[0].parameters.map((p) => [p.parameter_name, p.text]), [
    ["customer_name", "Ana"],
    ["order_id", "A-77"],
    ["plan", "pro"],
    ["agent_name", "Wanda"],
  ]);
});
