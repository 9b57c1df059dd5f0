import type { ComponentChildren } from "preact";

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
    <div class="mb-3">
      <label for={id} class="block text-sm font-medium mb-1">{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        autocomplete={autocomplete}
        required={required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        class="w-full border border-gray-300 rounded px-3 py-2 focus:outline-none focus:ring-2 focus:ring-brand-500"
      />
      {error && <p id={`${id}-error`} class="text-sm text-red-700 mt-1">{error}</p>}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" class="mb-3 text-sm text-red-800 bg-red-50 border border-red-200 rounded p-2">
      {message}
    </p>
  );
}

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
