/** `/v1/social` group routes (CONTRACT §4). */
import { createRouter } from "../router.ts";

export const groupRoutes = createRouter();
