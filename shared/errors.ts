// What to tell a person about a thrown value: an Error's message, or the value itself as text (a
// rejected promise or a worker can throw anything).
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
