// Realistic email addresses for size tests: first.last at a company domain, about 25 characters on average, with one
// in ten at a contractor domain and a few with `_`.

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hector', 'isabel', 'jamal', 'kenji', 'laura', 'miguel',
  'nadia', 'oscar', 'priya', 'quentin', 'rosa', 'samir', 'tamara', 'ulrich', 'valerie', 'wei', 'xavier', 'yasmin', 'zoltan',
  'amelia', 'bruno', 'chloe', 'dmitri', 'elena', 'farid', 'greta', 'hiro', 'ines', 'jonas', 'katya', 'liam', 'maya', 'niko',
  'olga', 'pablo', 'quinn', 'ravi', 'sofia', 'theo', 'uma', 'viktor', 'wanda', 'yusuf'];
const LAST = ['smith', 'garcia', 'nguyen', 'mueller', 'rossi', 'kowalski', 'tanaka', 'okafor', 'silva', 'johansson', 'dubois',
  'novak', 'haddad', 'kim', 'patel', 'lopez', 'schmidt', 'ivanova', 'chen', 'murphy'];

/** The i-th address (i < 100,000), unique. */
export function personEmail(i: number): string {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const n = Math.floor(i / (FIRST.length * LAST.length));
  const sep = i % 37 === 0 ? '_' : '.';
  const domain = i % 10 === 3 ? 'contractors.acme.io' : 'acmecorp.io';
  return `${first}${sep}${last}${n}@${domain}`;
}

export function meanLength(emails: readonly string[]): number {
  return emails.reduce((n, e) => n + e.length, 0) / emails.length;
}
