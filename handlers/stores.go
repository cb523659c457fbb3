package handlers

import (
	"portico/db"
	"portico/models"
)

// stores are the domain's stores, built once in New on the one database (and so on its
// one clock); handlers use h.st.Members, h.st.Claims ... instead of building their own.
type stores struct {
	Authz             models.Authz
	ClaimWork         models.ClaimWork
	Messages          models.Messages
	Sessions          models.Sessions
	Accounts          models.Accounts
	Assessments       models.Assessments
	Audit             models.Audit
	CareDocuments     models.CareDocuments
	CarePlans         models.CarePlans
	Formulary         models.Formulary
	HealthRecords     models.HealthRecords
	Library           models.Library
	Members           models.Members
	Notices           models.Notices
	Outbox            models.Outbox
	Paperless         models.Paperless
	Privacy           models.Privacy
	ProviderDirectory models.ProviderDirectory
	Referrals         models.Referrals
	Registrations     models.Registrations
	Reports           models.Reports
	SecurityFlags     models.SecurityFlags
	Staff             models.Staff
	Tokens            models.Tokens
	Users             models.Users
}

// newStores builds every store on d; the stores that carry settings (messages with the
// key ring and links, sessions with the idle time-out, authorizations with the plan's
// zone) take them from opts, whose defaults New has already filled in.
func newStores(d *db.DB, opts Options) stores {
	msgs := models.Messages{DB: d, Keys: opts.Keyring, BaseURL: opts.BaseURL, PlanName: opts.PlanName, EnvelopeTTL: opts.EnvelopeTTL}
	return stores{
		Authz:             models.Authz{DB: d, Keys: opts.Keyring, Loc: opts.TimeZone, Notify: msgs},
		ClaimWork:         models.ClaimWork{DB: d, Msgs: msgs},
		Messages:          msgs,
		Sessions:          models.Sessions{DB: d, Idle: opts.IdleTimeout},
		Accounts:          models.Accounts{DB: d},
		Assessments:       models.Assessments{DB: d, Keys: opts.Keyring},
		Audit:             models.Audit{DB: d},
		CareDocuments:     models.CareDocuments{DB: d},
		CarePlans:         models.CarePlans{DB: d, Keys: opts.Keyring},
		Formulary:         models.Formulary{DB: d},
		HealthRecords:     models.HealthRecords{DB: d, Keys: opts.Keyring},
		Library:           models.Library{DB: d},
		Members:           models.Members{DB: d},
		Notices:           models.Notices{DB: d},
		Outbox:            models.Outbox{DB: d},
		Paperless:         models.Paperless{DB: d},
		Privacy:           models.Privacy{DB: d},
		ProviderDirectory: models.ProviderDirectory{DB: d},
		Referrals:         models.Referrals{DB: d, Keys: opts.Keyring},
		Registrations:     models.Registrations{DB: d},
		Reports:           models.Reports{DB: d},
		SecurityFlags:     models.SecurityFlags{DB: d},
		Staff:             models.Staff{DB: d},
		Tokens:            models.Tokens{DB: d},
		Users:             models.Users{DB: d},
	}
}
