package sender

import "github.com/sendcheck/sendcheck/sender/provider"

// Certainty says in plain words how sure a [Result]'s verdict is. It sums
// up Result.Confidence (how well the provider rules behind the verdict
// are sourced) and Result.IdentitySource (whose list of identities the
// From was judged against).
type Certainty string

// Certainty levels.
const (
	// CertaintyHigh: the verdict rests on well-sourced rules and, when it
	// depends on the identities, on the provider's own list of them (or
	// on the From alone, as for a malformed address).
	CertaintyHigh Certainty = "high"
	// CertaintyMedium: the verdict rests on a list of identities the
	// caller gave (which may be out of date or mistyped) or on rules
	// known only from third-party guides.
	CertaintyMedium Certainty = "medium"
	// CertaintyLow: the verdict is unknown, or rests on a rule that is
	// not confirmed.
	CertaintyLow Certainty = "low"
)

// rate sets r.Certainty from the verdict, the rules' confidence and the
// source of the identities.
func (r *Result) rate() {
	r.Certainty = r.certainty()
}

func (r *Result) certainty() Certainty {
	switch r.Reason {
	case ReasonInvalidFrom, ReasonInvalidEnvelope:
		// Judged on the address alone.
		return CertaintyHigh
	}
	switch {
	case r.Verdict == VerdictUnknown || r.Verdict == "":
		return CertaintyLow
	case r.Confidence == provider.ConfidenceUnverified:
		return CertaintyLow
	case r.Confidence == provider.Confidence3P:
		return CertaintyMedium
	case r.IdentitySource == SourceCaller && listDependent(r.Reason):
		return CertaintyMedium
	case r.Confidence == provider.ConfidenceDoc || r.Confidence == provider.ConfidenceObs:
		return CertaintyHigh
	}
	return CertaintyLow
}

// listDependent reports whether a verdict for reason rests on the list
// of verified identities.
func listDependent(reason Reason) bool {
	switch reason {
	case ReasonMatchedAddress, ReasonMatchedDomain, ReasonNotVerified,
		ReasonDomainNotVerified, ReasonCaseMismatch, ReasonSubdomainNotCovered,
		ReasonLookAlike, ReasonEnvelopeNotAllowed, ReasonOutsideSendingDomain,
		ReasonNotAccountIdentity:
		return true
	}
	return false
}
