// Package provider holds the public facts this module knows about mail
// providers: the [ID] of each provider and its display name, the SMTP
// submission hosts that identify it, the SPF include that authorizes its
// senders (RFC 7208), the DKIM selectors it usually publishes (RFC 6376),
// whose domain it puts in the envelope sender (the Return-Path, RFC 5321
// section 4.4), and which sender identities an account may use
// ([SenderRules]).
//
// The packages sender, smtperr and dnsauth of this module all speak in these
// IDs: a sender profile names its provider, an explanation of an SMTP reply
// names the provider that wrote it, and a readiness report is checked for
// the provider that will send. A program that lets its user choose a
// provider at run time turns the user's string into an ID with [ParseID],
// and offers the choices from [All].
//
// # Where the facts come from
//
// Every fact comes from the provider's documentation, from reply texts seen
// in public logs, or from third-party guides; [Provider.Unverified] and the
// confidence fields of [SenderRules] say which. Packages that read a weakly
// sourced fact stay conservative (an "unknown" verdict rather than
// "allowed").
//
// # Read-only
//
// The table cannot be changed from outside: [All], [Get], [ByHost] and
// [ByInclude] return copies, slices included, and [SenderRulesFor] builds a
// new value on every call.
package provider
