/** How the command line ends on an error: one German line on standard error, exit code 1. */

/** A refusal the command line phrases itself; shown as it is. */
export class CliError extends Error {}

/** The user broke off a prompt (Ctrl-C, Ctrl-D): exit quietly like a shell does. */
export class CliAbort extends Error {}

/**
 * Field names of the API's bodies → the option a user of the command line typed. Service and DTO errors name
 * the former; the terminal shows the latter.
 */
export type OptionNames = Record<string, string>;

/** "Die Eingabe ist ungültig. (--email: …; --name: …)": every field error on one line, named as typed. */
export function fieldErrorLine(
  message: string,
  errors: { field: string; messages: string[] }[] | undefined,
  optionNames: OptionNames = {},
): string {
  const details = errors
    ?.map((e) => `${optionNames[e.field] ?? e.field}: ${e.messages.join(', ')}`)
    .join('; ');
  return `${message}${details ? ` (${details})` : ''}`;
}

export async function describeError(error: unknown): Promise<string> {
  if (error instanceof CliError) return `Fehler: ${error.message}`;
  // Loaded only on this path, so that `--help` and commander's own errors stay quick.
  const [{ HttpException }, { ConfigurationError }, { FrameworkFileError }] = await Promise.all([
    import('@nestjs/common'),
    import('../common/config/app-config.js'),
    import('../framework/framework-file.js'),
  ]);
  if (error instanceof ConfigurationError || error instanceof FrameworkFileError) {
    return `Fehler: ${error.message}`;
  }
  if (error instanceof HttpException) {
    const body = error.getResponse() as {
      message?: string;
      errors?: { field: string; messages: string[] }[];
    };
    return `Fehler: ${fieldErrorLine(body.message ?? error.message, body.errors)}`;
  }
  return `Fehler: ${error instanceof Error ? error.message : String(error)}`;
}
