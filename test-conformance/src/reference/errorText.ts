/** What an error says, for a line on stderr. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
