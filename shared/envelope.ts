/** The response body every HTTP answer uses (CONTRACT §1). */
export interface Envelope<T, C extends number = number> {
  code: C;
  msg: string;
  data: T;
}

/** The success envelope: code 200, msg "ok". */
export function ok<T>(data: T): Envelope<T, 200> {
  return { code: 200, msg: "ok", data };
}

/** The failure envelope: an application code, a message, `data: null`. */
export function failure(code: number, msg: string): Envelope<null> {
  return { code, msg, data: null };
}
