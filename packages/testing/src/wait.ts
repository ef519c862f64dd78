// `@groupbuy/testing/wait`: the one polling helper of the SDK's and the React binding's suites (no dependency:
// safe in Node and in a browser).

/**
 * Polls `check` until it returns something truthy; throws after `timeoutMs` (@default 20000) with `what`
 * and the last error. Tests wait for conditions, never for a fixed time.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started <= timeoutMs) {
    const value = await Promise.resolve()
      .then(check)
      .catch((err: unknown) => {
        lastError = err;
        return undefined;
      });
    if (value) return value;
    await new Promise((resume) => setTimeout(resume, 25));
  }
  throw new Error(
    `timed out waiting for ${what}` +
      (lastError === undefined ? '' : `: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`),
  );
}
