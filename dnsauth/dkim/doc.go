// Package dkim reads DomainKeys Identified Mail key records ([RFC 6376])
// from DNS and says whether receivers can verify mail signed with them.
//
// [ParseKey] parses a key record per RFC 6376 section 3.6.1 and [RFC 8463]:
// the RSA key size is read from the decoded key, an Ed25519 key must be 32
// bytes, an empty p= means the key is revoked, t=y marks a test key, h=
// limited to sha1 is flagged ([RFC 8301] forbids rsa-sha1 for signing), and
// an s= that excludes email makes the key unusable for mail. RSA keys under
// 1024 bits are unusable, under 2048 weak, and over 4096 bits flagged too:
// RFC 8301 requires verifiers to handle keys only up to that size.
//
// [Lookup] asks <selector>._domainkey.<domain> for the selectors the caller
// names, those the provider usually publishes and a list of common ones
// ([CommonSelectors]), all at once, following CNAMEs the way providers
// delegate keys.
//
// [RFC 6376]: https://www.rfc-editor.org/rfc/rfc6376
// [RFC 8463]: https://www.rfc-editor.org/rfc/rfc8463
// [RFC 8301]: https://www.rfc-editor.org/rfc/rfc8301
package dkim
