/** A bucket in Bitbucket's blue: drawn here, as the other provider icons are, nothing fetched. */
export function BitbucketIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="#2684FF"
        d="M1.6 2.5a.7.7 0 0 0-.7.8l3 18.2c.1.5.5.9 1 .9h14.5c.4 0 .7-.3.8-.6l3-18.5a.7.7 0 0 0-.7-.8H1.6zm12.8 13.1H9.7L8.4 8.8h7.2l-1.2 6.8z"
      />
    </svg>
  );
}
