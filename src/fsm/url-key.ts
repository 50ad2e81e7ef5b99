/** `check-in` → `check_in_url`: the member a link named `name` goes by in formats that key links by name (RESTful JSON). */
export const urlKey = (name: string): string => `${name.replaceAll('-', '_')}_url`
