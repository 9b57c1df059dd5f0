/**
 * Every operation Parley serves, for the OpenAPI document and its reference page
 * (routes/openapi.tsx). tests/openapi_test.ts checks this list against the routes Hono has
 * registered, both ways, and parses every example with its schema.
 */
import type { ApiOperation } from "../../lib/openapi/operations.ts";
import { adminOperations } from "./admin.ts";
import { pageOperations } from "./pages.ts";
import { publicOperations } from "./public.ts";
import { staffOperations } from "./staff.ts";

export const apiOperations: ApiOperation[] = [
  ...staffOperations,
  ...adminOperations,
  ...publicOperations,
  ...pageOperations,
];
