/**
 * Form controls shared by the sign-in card and the admin console: a label for every control and the
 * server's field error right under it (`aria-invalid` + `aria-describedby`).
 */
import type { ComponentChildren } from "preact";

/** Field errors by field name, as `details.fields` of a 400 answer. */
export type FieldErrors = Record<string, string>;

/** The look of a text input, select or textarea (the sign-in card's fields too). */
export const INPUT =
  "w-full border border-gray-300 rounded px-3 py-2 focus:outline-none focus:ring-2 focus:ring-brand-500";

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? <p id={`${id}-error`} class="text-sm text-red-700 mt-1">{error}</p> : null;
}

function Hint({ id, hint }: { id: string; hint?: ComponentChildren }) {
  return hint ? <p id={`${id}-hint`} class="text-xs text-gray-600 mt-1">{hint}</p> : null;
}

function describedBy(id: string, error?: string, hint?: unknown) {
  const ids = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The ARIA attributes of control `id`: invalid when it has an error, described by its error and hint. */
export function fieldAria(id: string, error?: string, hint?: unknown) {
  return {
    "aria-invalid": error ? "true" as const : undefined,
    "aria-describedby": describedBy(id, error, hint),
  };
}

/**
 * The field primitive: a label for control `id` above it, then its hint and
 * its field error. The control itself is the child (give it `fieldAria`).
 */
export function LabelledField(
  { id, label, error, hint, children }: {
    id: string;
    label: string;
    error?: string;
    hint?: ComponentChildren;
    children: ComponentChildren;
  },
) {
  return (
    <div class="mb-3">
      <label for={id} class="block text-sm font-medium mb-1">{label}</label>
      {children}
      <Hint id={id} hint={hint} />
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** A labelled input with its hint and field error. */
export function TextField(
  {
    label,
    name,
    value,
    error,
    type = "text",
    hint,
    required = false,
    autocomplete,
    idPrefix = "f",
  }: {
    label: string;
    name: string;
    value?: string | number | null;
    error?: string;
    type?: string;
    hint?: ComponentChildren;
    required?: boolean;
    autocomplete?: string;
    idPrefix?: string;
  },
) {
  const id = `${idPrefix}-${name}`;
  return (
    <LabelledField id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={name}
        type={type}
        value={value ?? ""}
        required={required}
        autocomplete={autocomplete}
        {...fieldAria(id, error, hint)}
        class={type === "color"
          ? "h-10 w-24 border border-gray-300 rounded p-1 focus:outline-none focus:ring-2 focus:ring-brand-500"
          : INPUT}
      />
    </LabelledField>
  );
}

/** A labelled textarea with its hint and field error. */
export function TextArea(
  { label, name, value, error, hint, rows = 4, idPrefix = "f" }: {
    label: string;
    name: string;
    value?: string | null;
    error?: string;
    hint?: ComponentChildren;
    rows?: number;
    idPrefix?: string;
  },
) {
  const id = `${idPrefix}-${name}`;
  return (
    <LabelledField id={id} label={label} error={error} hint={hint}>
      <textarea id={id} name={name} rows={rows} {...fieldAria(id, error, hint)} class={INPUT}>
        {value ?? ""}
      </textarea>
    </LabelledField>
  );
}

/** A labelled select with its hint and field error. */
export function SelectField(
  { label, name, value, options, error, hint, idPrefix = "f" }: {
    label: string;
    name: string;
    value?: string | null;
    options: { value: string; label: string }[];
    error?: string;
    hint?: ComponentChildren;
    idPrefix?: string;
  },
) {
  const id = `${idPrefix}-${name}`;
  return (
    <LabelledField id={id} label={label} error={error} hint={hint}>
      <select id={id} name={name} {...fieldAria(id, error, hint)} class={INPUT}>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === (value ?? "")}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

/** A checkbox with its label (absent from the form when unchecked). */
export function Checkbox(
  { label, name, checked, error, hint, idPrefix = "f" }: {
    label: string;
    name: string;
    checked?: boolean;
    error?: string;
    hint?: ComponentChildren;
    idPrefix?: string;
  },
) {
  const id = `${idPrefix}-${name}`;
  return (
    <div class="mb-3">
      <div class="flex items-center gap-2">
        <input
          id={id}
          name={name}
          type="checkbox"
          checked={checked}
          aria-describedby={describedBy(id, error, hint)}
          class="h-4 w-4"
        />
        <label for={id} class="text-sm font-medium">{label}</label>
      </div>
      <Hint id={id} hint={hint} />
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** The form-level message: what went wrong, for errors not tied to one field. */
export function FormAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" class="mb-3 text-sm text-red-800 bg-red-50 border border-red-200 rounded p-2">
      {message}
    </p>
  );
}

/** A submit button: primary, secondary or danger. */
export function Button(
  { children, variant = "primary", name, value }: {
    children: ComponentChildren;
    variant?: "primary" | "secondary" | "danger";
    name?: string;
    value?: string;
  },
) {
  const cls = variant === "danger"
    ? "bg-red-700 hover:bg-red-800 text-white font-medium rounded px-4 py-2 focus:outline-none focus:ring-2 focus:ring-offset-2 focus:ring-red-500"
    : variant === "secondary"
    ? "border border-gray-300 bg-white hover:bg-gray-100 font-medium rounded px-4 py-2 focus:outline-none focus:ring-2 focus:ring-brand-500"
    : "bg-brand-600 hover:bg-brand-700 text-white font-medium rounded px-4 py-2 focus:outline-none focus:ring-2 focus:ring-offset-2 focus:ring-brand-500";
  return <button type="submit" name={name} value={value} class={cls}>{children}</button>;
}
