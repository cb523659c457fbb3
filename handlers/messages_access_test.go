package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// TestMessagesAccessMatrix proves who may open what: visitors, a staff user without
// `messaging`, another office, plan staff of another department, office users on
// plan-staff actions.
//
// A department queue restricts: plan staff see the queue of their own department,
// threads assigned to them and threads they started or wrote in. Staff of another
// department get 404 for a thread until it is assigned to them.
func TestMessagesAccessMatrix(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	id := msgSendAs(t, office, "dept:provider_services", "Sunrise private subject", "Sunrise private body", msgFile{"scan.pdf", msgPDF})
	aid := ta.msgLastAttachmentID(id)
	th := "/messages/" + strconv.FormatInt(id, 10)
	att := "/messages/attachments/" + strconv.FormatInt(aid, 10)
	secret := []string{"Sunrise private subject", "Sunrise private body"}
	var envID int64
	ta.db.R.QueryRow("SELECT id FROM message_threads WHERE kind = 'envelope' LIMIT 1").Scan(&envID)
	env := "/messages/" + strconv.FormatInt(envID, 10)

	runScenarios(t, ta, []scenario{
		{name: "visitor inbox", url: "/messages", wantStatus: http.StatusSeeOther},
		{name: "visitor thread", url: th, wantStatus: http.StatusSeeOther, wantNotContains: secret},
		{name: "visitor attachment", url: att, wantStatus: http.StatusSeeOther},
		{name: "visitor badge", url: "/messages/unread", wantStatus: http.StatusSeeOther},
		{name: "visitor send", method: "POST", url: "/messages", form: url.Values{"subject": {"x"}}, wantStatus: http.StatusForbidden},

		{name: "no messaging: inbox", as: "staff@sunrise.example", url: "/messages", wantStatus: http.StatusForbidden, wantContains: []string{`href="/providers"`}, wantNotContains: []string{`href="/messages"`, "unread-badge"}},
		{name: "no messaging: thread", as: "staff@sunrise.example", url: th, wantStatus: http.StatusForbidden, wantNotContains: secret},
		{name: "no messaging: attachment", as: "staff@sunrise.example", url: att, wantStatus: http.StatusForbidden},
		{name: "no messaging: compose", as: "staff@sunrise.example", url: "/messages/new", wantStatus: http.StatusForbidden},
		{name: "no messaging: badge", as: "staff@sunrise.example", url: "/messages/unread", wantStatus: http.StatusForbidden},
		{name: "no messaging: send", as: "staff@sunrise.example", method: "POST", url: "/messages", form: url.Values{"to": {"dept:claims"}, "subject": {"x"}, "body": {"y"}, "plan_type": {"commercial"}}, wantStatus: http.StatusForbidden},

		{name: "other office: thread", as: "manager@valley.example", url: th, wantStatus: http.StatusNotFound, wantNotContains: secret},
		{name: "other office: attachment", as: "manager@valley.example", url: att, wantStatus: http.StatusNotFound},
		{name: "other office: reply", as: "manager@valley.example", method: "POST", url: th + "/reply", form: url.Values{"body": {"hi"}}, wantStatus: http.StatusNotFound},
		{name: "other office: archive", as: "manager@valley.example", method: "POST", url: th + "/archive", wantStatus: http.StatusNotFound},
		{name: "other office: list", as: "manager@valley.example", url: "/messages", wantStatus: http.StatusOK, wantNotContains: secret},

		{name: "office: assign", as: "manager@sunrise.example", method: "POST", url: th + "/assign", form: url.Values{"assignee": {"1"}}, wantStatus: http.StatusForbidden},
		{name: "office: resolve", as: "manager@sunrise.example", method: "POST", url: th + "/resolve", wantStatus: http.StatusForbidden},
		{name: "office: envelope form", as: "manager@sunrise.example", url: "/messages/envelopes/new", wantStatus: http.StatusForbidden},
		{name: "office: envelope send", as: "manager@sunrise.example", method: "POST", url: "/messages/envelopes", form: url.Values{"email": {"a@b.example"}}, wantStatus: http.StatusForbidden},
		{name: "office: own thread", as: "manager@sunrise.example", url: th, wantStatus: http.StatusOK, wantContains: secret},

		{name: "other department: thread", as: "nurse@plan.example", url: th, wantStatus: http.StatusNotFound, wantNotContains: secret},
		{name: "other department: attachment", as: "nurse@plan.example", url: att, wantStatus: http.StatusNotFound},
		{name: "other department: reply", as: "nurse@plan.example", method: "POST", url: th + "/reply", form: url.Values{"body": {"hi"}}, wantStatus: http.StatusNotFound},
		{name: "other department: assign", as: "nurse@plan.example", method: "POST", url: th + "/assign", form: url.Values{"assignee": {"0"}}, wantStatus: http.StatusNotFound},
		{name: "other department: list", as: "nurse@plan.example", url: "/messages", wantStatus: http.StatusOK, wantNotContains: secret},
		{name: "staff without department", as: "editor@plan.example", url: th, wantStatus: http.StatusNotFound},
		{name: "same department", as: "rep@plan.example", url: th, wantStatus: http.StatusOK, wantContains: secret},
		{name: "same department attachment", as: "rep@plan.example", url: att, wantStatus: http.StatusOK},

		{name: "plan staff: office compose", as: "rep@plan.example", method: "POST", url: "/messages", form: url.Values{"to": {"dept:claims"}, "subject": {"x"}, "body": {"y"}, "plan_type": {"commercial"}}, wantStatus: http.StatusForbidden},
		{name: "plan staff: compose goes to envelopes", as: "rep@plan.example", url: "/messages/new", wantStatus: http.StatusSeeOther},
		{name: "admin without department", as: "admin@plan.example", url: th, wantStatus: http.StatusNotFound},
		{name: "admin flags", as: "admin@plan.example", url: "/messages?folder=flags", wantStatus: http.StatusOK, wantContains: []string{"Flags"}},
		{name: "office: envelope unlock", as: "manager@sunrise.example", method: "POST", url: env + "/envelope/unlock", wantStatus: http.StatusForbidden},
		{name: "office: envelope reissue", as: "manager@sunrise.example", method: "POST", url: env + "/envelope/reissue", wantStatus: http.StatusForbidden},
		{name: "office: envelope thread", as: "manager@sunrise.example", url: env, wantStatus: http.StatusNotFound},
		{name: "other department: envelope thread", as: "nurse@plan.example", url: env, wantStatus: http.StatusNotFound},
		{name: "other department: envelope reissue", as: "nurse@plan.example", method: "POST", url: env + "/envelope/reissue", wantStatus: http.StatusNotFound},
		{name: "associate: envelope thread", as: "rep@plan.example", url: env, wantStatus: http.StatusOK, wantContains: []string{"Partner credential", "records@lawfirm.example"}},
		{name: "envelope action on a portal thread", as: "rep@plan.example", method: "POST", url: th + "/envelope/unlock", wantStatus: http.StatusNotFound},
		{name: "unknown thread", as: "manager@sunrise.example", url: "/messages/999999", wantStatus: http.StatusNotFound},
		{name: "unknown attachment", as: "manager@sunrise.example", url: "/messages/attachments/999999", wantStatus: http.StatusNotFound},
		{name: "bad id", as: "manager@sunrise.example", url: "/messages/abc", wantStatus: http.StatusNotFound},
	})
}
