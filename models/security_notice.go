package models

import (
	"context"
	"database/sql"
	"fmt"
)

// Security notices tell a user that something changed on their account, so that a
// change they did not make does not go unnoticed. They hold no health information and
// no link that signs anyone in.
const (
	NoticePasswordChanged     = "password_changed"
	NoticeSecondFactorReset   = "second_factor_reset"
	NoticeSignedOutEverywhere = "signed_out_everywhere"
)

var securityNotices = map[string]struct{ subject, what, next string }{
	NoticePasswordChanged: {"Your portal password was changed",
		"The password of your provider portal account was changed.",
		"Browsers signed in with the old password were signed out."},
	NoticeSecondFactorReset: {"Your second sign-in step was reset",
		"The authenticator app (second factor) of your provider portal account was reset, and every session ended.",
		"At your next sign-in you set up an authenticator app again and get new recovery codes."},
	NoticeSignedOutEverywhere: {"You were signed out everywhere",
		"Your provider portal account was signed out on every browser and device.",
		"Sign in again wherever you use the portal."},
}

// SecurityNoticeTx queues a security notice to u inside tx, so it goes out only if the
// change commits.
func (o Outbox) SecurityNoticeTx(ctx context.Context, tx *sql.Tx, u *User, which string) error {
	n, ok := securityNotices[which]
	if !ok {
		return fmt.Errorf("security notice %q: %w", which, ErrInvalid)
	}
	if u == nil || u.Email == "" {
		return nil
	}
	body := "Hello " + u.Name + ",\n\n" + n.what + " " + n.next + "\n\n" +
		"If this was you, there is nothing more to do.\n\n" +
		"If it was not you, reset your password now with “Trouble logging in?” on the sign-in page, " +
		"and tell your account manager or the plan's Provider Services.\n\n" +
		"This e-mail holds no patient information. Please do not reply to it.\n"
	return o.QueueTx(ctx, tx, QueuedMail{To: u.Email, Subject: n.subject, Body: body, Kind: MailSecurity})
}

// SecurityNotice queues a security notice to u in its own transaction.
func (o Outbox) SecurityNotice(ctx context.Context, u *User, which string) error {
	return o.DB.Tx(ctx, func(tx *sql.Tx) error { return o.SecurityNoticeTx(ctx, tx, u, which) })
}
