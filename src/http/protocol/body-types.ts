/** Request body media types accepted for creates and transitions. */
export const bodyTypes = ['application/json', 'application/x-www-form-urlencoded'] as const
