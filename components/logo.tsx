export function Logo({ className = "h-9 w-9" }: { className?: string }) {
  return (
    <svg viewBox="0 0 40 40" className={className} aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="19" fill="#f2a541" />
      <path d="M20 7a13 13 0 0 1 12.6 9.8l2.9-.8-3.4 6.6-6-4.2 3-.8A9 9 0 0 0 20 11Z" fill="#0b2545" />
      <path d="M20 33A13 13 0 0 1 7.4 23.2l-2.9.8 3.4-6.6 6 4.2-3 .8A9 9 0 0 0 20 29Z" fill="#0b2545" />
      <circle cx="20" cy="20" r="3.5" fill="#0b2545" />
    </svg>
  );
}
