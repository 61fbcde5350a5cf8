// Package bounce reads the reports that arrive after a message was
// accepted: delivery status notifications and bounce emails, delay notices,
// complaints and auto-replies, and the event notifications of email service
// providers. Each becomes records of one shape, [Record], with the same
// explanation [smtperr.Explain] gives for an error at send time.
package bounce
