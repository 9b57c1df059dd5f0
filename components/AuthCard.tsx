import type { ComponentChildren } from "preact";
import { fieldAria, FormAlert, INPUT, LabelledField } from "./Form.tsx";

/** A centred card for the sign-in and setup pages. */
export function AuthCard({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="min-h-screen flex items-center justify-center p-4">
      <div class="w-full max-w-sm bg-white shadow rounded-lg p-6">
        <p class="text-sm font-semibold text-brand-600 mb-1">Parley</p>
        <h1 class="text-xl font-semibold mb-4">{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** A labelled input of the card, required unless told; its error under it. */
export function Field(
  { label, name, type = "text", value, autocomplete, error, required = true }: {
    label: string;
    name: string;
    type?: string;
    value?: string;
    autocomplete?: string;
    error?: string;
    required?: boolean;
  },
) {
  const id = `field-${name}`;
  return (
    <LabelledField id={id} label={label} error={error}>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        autocomplete={autocomplete}
        required={required}
        {...fieldAria(id, error)}
        class={INPUT}
      />
    </LabelledField>
  );
}

/** The card's form-level message (the admin forms' alert). */
export const FormError = FormAlert;

export function SubmitButton({ children }: { children: ComponentChildren }) {
  return (
    <button
      type="submit"
      class="w-full bg-brand-600 hover:bg-brand-700 text-white font-medium rounded px-4 py-2 focus:outline-none focus:ring-2 focus:ring-offset-2 focus:ring-brand-500"
    >
      {children}
    </button>
  );
}
