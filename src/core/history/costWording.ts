// Cost in words a person understands: one sentence ("40 Buzz, paid in Blue Buzz"), and the
// estimate, the service's quote and the charge side by side only when they disagree.

export interface CostFigures {
  estimate: number | null;
  whatif: { total: number; currencies: Record<string, number>; insufficientBuzz?: boolean } | null;
  charged: { total: number; currencies: Record<string, number> } | null;
}

const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  yellow: 'Yellow Buzz',
  blue: 'Blue Buzz',
  green: 'Green Buzz',
  fakeRed: 'Red Buzz (test currency)',
};

/** "Blue Buzz" for `blue`; an unknown account type is named as the service wrote it. */
export function currencyName(accountType: string): string {
  return CURRENCY_NAMES[accountType] ?? `${accountType} Buzz`;
}

export function formatBuzz(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)} Buzz`;
}

/** "paid in Blue Buzz", or "paid as 30 Yellow Buzz and 10 Blue Buzz" when it was split. */
export function paidWith(currencies: Record<string, number>): string {
  const parts = Object.entries(currencies).filter(([, n]) => n !== 0);
  if (parts.length === 0) return '';
  if (parts.length === 1) return `paid in ${currencyName(parts[0][0])}`;
  const named = parts.map(([c, n]) => `${formatBuzz(n).replace(/ Buzz$/, '')} ${currencyName(c)}`);
  return `paid as ${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}

// Two figures "agree" when they round to the same tenth of a Buzz.
const same = (a: number, b: number) => Math.round(a * 10) === Math.round(b * 10);

export function describeCost(cost: CostFigures, terminal: boolean): { summary: string; comparison: Array<{ label: string; value: string }> } {
  const { estimate, whatif, charged } = cost;
  let summary: string;
  if (charged) {
    const how = paidWith(charged.currencies);
    summary = `${formatBuzz(charged.total)}${how ? `, ${how}` : ''}`;
  } else if (whatif) {
    const how = paidWith(whatif.currencies);
    summary = `${formatBuzz(whatif.total)} quoted by the service${how ? `, to be ${how}` : ''}${terminal ? '; nothing was charged' : ''}`;
  } else if (estimate !== null) {
    summary = `About ${formatBuzz(estimate)} (local estimate)${terminal ? '; the service reported no charge' : ''}`;
  } else {
    summary = terminal ? 'The service reported no charge.' : 'Not known yet: no documented price for these steps.';
  }
  if (whatif?.insufficientBuzz) summary += '. Not enough Buzz in the account for this';

  const figures: Array<{ label: string; value: number; text: string }> = [];
  if (estimate !== null) figures.push({ label: 'Estimate', value: estimate, text: `≈ ${formatBuzz(estimate)}` });
  if (whatif) figures.push({ label: 'Quote', value: whatif.total, text: formatBuzz(whatif.total) });
  if (charged) figures.push({ label: 'Charged', value: charged.total, text: formatBuzz(charged.total) });
  const disagree = figures.some((f) => !same(f.value, figures[0].value));
  return { summary, comparison: disagree ? figures.map(({ label, text }) => ({ label, value: text })) : [] };
}
