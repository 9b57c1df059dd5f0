/**
 * The language picker as an island (hydrated in the browser). It is drawn by the shared headers
 * (components/Header.tsx, components/admin/AdminLayout.tsx), so its body lives in components/ and
 * this file only registers it for hydration.
 */
export { default } from "../components/LanguagePicker.tsx";
