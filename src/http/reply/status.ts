/** The status codes this framework sends. */
export type Status =
  | 200 | 201 | 204 | 303 | 304
  | 400 | 401 | 403 | 404 | 405 | 406 | 408 | 409 | 412 | 413 | 414 | 415 | 421 | 422 | 428 | 429 | 431
  | 500 | 501 | 503
