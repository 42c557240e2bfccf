/** Prism's `sl-violations` header, parsed; an empty list when Prism found nothing wrong. */
export function violationsOf(response: Response): Array<{ location: string[]; severity: string; message: string }> {
  const header = response.headers.get("sl-violations");
  return header ? JSON.parse(header) : [];
}
