package identities

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Amazon SES API v2, through the AWS SDK for Go v2:
//
//   - ListEmailIdentities (POST /v2/email/list-identities in the current
//     API model, a JSON body with NextToken and PageSize):
//     identity name, type (EMAIL_ADDRESS, DOMAIN), SendingEnabled and
//     VerificationStatus (PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE,
//     NOT_STARTED);
//     https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ListEmailIdentities.html
//   - GetEmailIdentity (GET /v2/email/identities/{name}): DKIM and MAIL
//     FROM status of a domain;
//     https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html
//   - GetAccount (GET /v2/email/account): ProductionAccessEnabled (false
//     means the sandbox), SendingEnabled and SendQuota;
//     https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
//
// Identities are per region. SES SMTP passwords are derived from a secret
// key and cannot sign API calls: this needs an access key with
// ses:ListEmailIdentities, ses:GetEmailIdentity and ses:GetAccount.
const (
	sesPage = 1000
	// sesDetails bounds the GetEmailIdentity calls for DKIM and MAIL FROM
	// status; past it domains are listed without them, and a note says so.
	sesDetails = 50
)

var awsRegion = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)

type ses struct {
	api    *sesv2.Client
	region string
	secret *Secret // a pointer, so that no formatting of a ses shows it
	pages  int
	now    func() time.Time
}

func newSES(secret Secret, opts *Options) (Lister, error) {
	parts := strings.SplitN(secret.v, ":", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return nil, &ConfigError{Provider: provider.SES, Msg: "the secret must be ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN] (SES SMTP passwords cannot call the API)"}
	}
	token := ""
	if len(parts) == 3 {
		token = parts[2]
	}
	reg := region(opts, "us-east-1")
	if !awsRegion.MatchString(reg) {
		return nil, &ConfigError{Provider: provider.SES, Msg: fmt.Sprintf("region %q is not an AWS region name", reg)}
	}
	o := sesv2.Options{
		Region:      reg,
		Credentials: credentials.NewStaticCredentialsProvider(parts[0], parts[1], token),
		// Errors are explained, not retried behind the caller's back.
		Retryer: aws.NopRetryer{},
	}
	if opts != nil && opts.BaseURL != "" {
		u, err := baseURL(provider.SES, opts, "")
		if err != nil {
			return nil, err
		}
		o.BaseEndpoint = aws.String(u.String())
	}
	var hc http.Client
	if opts != nil && opts.Client != nil {
		hc = *opts.Client
	} else {
		hc.Timeout = 30 * time.Second
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	o.HTTPClient = &hc
	now := time.Now
	if opts != nil && opts.Now != nil {
		now = opts.Now
	}
	return &ses{api: sesv2.New(o), region: reg, secret: &secret, pages: opts.maxPages(), now: now}, nil
}

func (s *ses) List(ctx context.Context) (*Result, error) {
	r := newResult(provider.SES)
	r.Region = s.region

	acct, err := s.api.GetAccount(ctx, &sesv2.GetAccountInput{})
	if err != nil {
		return s.failed(ctx, r, "the account", err)
	}
	if acct.SendQuota == nil {
		// The reference always includes the quota; an answer without it
		// is not GetAccount's.
		return nil, s.apiError("the account", ErrorBadResponse, http.StatusOK, "", "no SendQuota in the account", nil)
	}
	// In the sandbox every recipient must be verified too; Sandbox says
	// so, and sender.Check warns about it.
	r.Sandbox = !acct.ProductionAccessEnabled
	q := acct.SendQuota
	r.Quota = &Quota{Max24Hour: q.Max24HourSend, MaxPerSecond: q.MaxSendRate, SentLast24Hours: q.SentLast24Hours, SendingEnabled: acct.SendingEnabled}
	if !acct.SendingEnabled {
		r.Notes = append(r.Notes, fmt.Sprintf("Sending is paused for this SES account in %s.", s.region))
	}

	var token *string
	for page := 1; ; page++ {
		if page > s.pages {
			return nil, s.apiError("email identities", ErrorTooManyPages, 0, "", fmt.Sprintf("more than %d pages", s.pages), nil)
		}
		out, err := s.api.ListEmailIdentities(ctx, &sesv2.ListEmailIdentitiesInput{NextToken: token, PageSize: aws.Int32(sesPage)})
		if err != nil {
			return s.failed(ctx, r, "email identities", err)
		}
		for _, id := range out.EmailIdentities {
			name := aws.ToString(id.IdentityName)
			if name == "" {
				return nil, s.apiError("email identities", ErrorBadResponse, http.StatusOK, "", "an identity without IdentityName", nil)
			}
			li := sender.ListedIdentity{Identity: name, Kind: sender.KindDomain, Region: s.region, ProviderStatus: string(id.VerificationStatus)}
			if id.IdentityType == types.IdentityTypeEmailAddress {
				li.Kind = sender.KindAddress
			}
			li.Status = sesStatus(id.VerificationStatus)
			if li.Status == sender.StatusVerified && !id.SendingEnabled {
				li.Status, li.ProviderStatus = sender.StatusFailed, li.ProviderStatus+", sending disabled"
			}
			r.Identities = append(r.Identities, li)
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		token = out.NextToken
	}

	details := 0
	for i := range r.Identities {
		li := &r.Identities[i]
		if li.Kind != sender.KindDomain {
			continue
		}
		if details == sesDetails {
			r.Notes = append(r.Notes, fmt.Sprintf("DKIM and MAIL FROM status were read for the first %d domains only.", sesDetails))
			break
		}
		details++
		out, err := s.api.GetEmailIdentity(ctx, &sesv2.GetEmailIdentityInput{EmailIdentity: aws.String(li.Identity)})
		if err != nil {
			return s.failed(ctx, r, "email identity "+li.Identity, err)
		}
		if d := out.DkimAttributes; d != nil {
			li.DKIM = sesDKIM(d.Status)
		}
		if m := out.MailFromAttributes; m != nil {
			li.ReturnPath = sesMailFrom(m.MailFromDomainStatus)
		}
	}
	return r, nil
}

func sesStatus(v types.VerificationStatus) sender.IdentityStatus {
	switch v {
	case types.VerificationStatusSuccess:
		return sender.StatusVerified
	case types.VerificationStatusFailed:
		return sender.StatusFailed
	}
	return sender.StatusPending
}

func sesDKIM(v types.DkimStatus) sender.IdentityStatus {
	switch v {
	case types.DkimStatusSuccess:
		return sender.StatusVerified
	case types.DkimStatusFailed:
		return sender.StatusFailed
	case "":
		return ""
	}
	return sender.StatusPending
}

func sesMailFrom(v types.MailFromDomainStatus) sender.IdentityStatus {
	switch v {
	case types.MailFromDomainStatusSuccess:
		return sender.StatusVerified
	case types.MailFromDomainStatusFailed:
		return sender.StatusFailed
	case "":
		return ""
	}
	return sender.StatusPending
}

// failed explains an SDK error; a key that may not read identities gives
// the ScopeMissing result.
func (s *ses) failed(ctx context.Context, r *Result, op string, err error) (*Result, error) {
	e := s.explainSDK(ctx, op, err)
	if e.Kind == ErrorForbidden {
		return scopeMissing(r, "This AWS access key may not read SES identities: allow it ses:GetAccount, ses:ListEmailIdentities and ses:GetEmailIdentity."), nil
	}
	return nil, e
}

// explainSDK maps an AWS SDK error to an *APIError.
func (s *ses) explainSDK(ctx context.Context, op string, err error) *APIError {
	status := 0
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	code, msg := "", ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code, msg = ae.ErrorCode(), ae.ErrorMessage()
	}
	var kind ErrorKind
	var ne net.Error
	lc := strings.ToLower(code)
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		kind = ErrorCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		kind = ErrorTimeout
	case strings.Contains(lc, "accessdenied"):
		kind = ErrorForbidden
	case strings.Contains(lc, "unrecognizedclient"), strings.Contains(lc, "invalidclienttokenid"),
		strings.Contains(lc, "signature"), strings.Contains(lc, "expiredtoken"), status == http.StatusUnauthorized:
		kind = ErrorUnauthorized
	case status == http.StatusForbidden:
		kind = ErrorUnauthorized
	case status == http.StatusTooManyRequests, strings.Contains(lc, "toomanyrequests"), strings.Contains(lc, "throttl"):
		kind = ErrorRateLimited
	case status == http.StatusNotFound:
		kind = ErrorNotFound
	case status >= 500:
		kind = ErrorServer
	case status >= 400:
		kind = ErrorRequest
	case status == 0 && re == nil && ae == nil:
		kind = ErrorNetwork
	default:
		kind = ErrorBadResponse
	}
	e := s.apiError(op, kind, status, code, msg, err)
	if re != nil && re.Response != nil && (kind == ErrorRateLimited || kind == ErrorServer) {
		e.RetryAfter = retryAfter(re.Response.Header.Get("Retry-After"), s.now())
		e.explain("Amazon SES")
	}
	if e.Message == "" && kind != ErrorForbidden {
		e.Message = s.clean(err.Error())
	}
	return e
}

func (s *ses) apiError(op string, kind ErrorKind, status int, code, msg string, err error) *APIError {
	e := &APIError{Provider: provider.SES, Op: op, Kind: kind, StatusCode: status, Code: s.clean(code), Message: s.clean(msg)}
	if err != nil {
		e.Err = &cleanError{msg: s.clean(err.Error()), err: err}
	}
	return e.explain("Amazon SES")
}

func (s *ses) clean(text string) string {
	c := client{secret: *s.secret}
	return c.clean(text)
}
