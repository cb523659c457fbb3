package demo

// Demo content of the provider library: plausible pages for every section of SPEC §7.
// Phone and fax numbers are in the 555-01xx range reserved for fiction.

// Provider type and line-of-business shorthands for the content tables.
var (
	allTypes      = []string{"physician", "ppg", "hospital", "ancillary", "behavioral", "cs_ecm"}
	clinicalTypes = []string{"physician", "ppg", "hospital", "ancillary"}
	officeTypes   = []string{"physician", "ppg"}
	facilityTypes = []string{"hospital", "ancillary"}
)

// libEntry is one demo library entry.
type libEntry struct {
	section, title, summary, body, lob string
	types                              []string
	code, date                         string
}

// manualPage is a benefit page of the operations manual.
type manualPage struct {
	title, what, limits, auth, billing, lob string
	types                                   []string
}

var manualPages = []manualPage{
	{"Acupuncture", "Acupuncture is covered when provided by a licensed acupuncturist for the treatment of nausea, chronic low back pain or chronic pain conditions documented by the treating physician.",
		"Up to 20 visits per calendar year; maintenance care after the condition has stabilized is not covered.", "No prior authorization for the first 12 visits; visits 13 to 20 need a treatment plan sent to Medical Management.", "Bill 97810–97814 with the diagnosis that supports medical necessity.", "commercial", officeTypes},
	{"Ambulance and medical transportation", "Emergency ground and air ambulance is covered without prior authorization. Non-emergency medical transportation (NEMT) and non-medical transportation (NMT) help members reach covered appointments.",
		"NEMT needs a physician certification statement; NMT is limited to round trips to covered services.", "Non-emergency air transport and NEMT need prior authorization; emergency transport never does.", "Use A0425–A0436 with origin and destination modifiers.", "all", []string{"ancillary", "hospital"}},
	{"Behavioral health services", "Outpatient therapy, psychiatric visits, psychological testing, intensive outpatient programs and inpatient psychiatric care are covered at parity with medical benefits.",
		"Psychological testing beyond eight hours per year needs review.", "Inpatient, residential, partial hospitalization, intensive outpatient, ABA therapy and psychological testing need prior authorization.", "Behavioral health claims go to the behavioral health administrator, not the medical claims address.", "all", []string{"behavioral", "physician", "hospital"}},
	{"Chiropractic services", "Chiropractic manipulation is covered for neuromusculoskeletal conditions when it is expected to bring measurable improvement.",
		"Up to 20 visits per calendar year combined with acupuncture for Commercial members; Medi-Cal covers two services a month.", "No prior authorization needed; documentation must show functional goals.", "Bill 98940–98942 with the region treated.", "commercial", officeTypes},
	{"Diabetes supplies and education", "Glucometers, test strips, lancets, continuous glucose monitors and diabetes self-management education are covered.",
		"Test strips are limited to the quantity on the preferred drug list unless the prescriber documents more frequent testing.", "Continuous glucose monitors and insulin pumps need prior authorization.", "Supplies dispensed by a pharmacy are billed through the pharmacy benefit.", "all", clinicalTypes},
	{"Dialysis", "Outpatient hemodialysis, peritoneal dialysis, home dialysis training and related laboratory tests are covered for members with end-stage renal disease.",
		"Dialysis outside the service area is covered when arranged in advance for travel.", "No prior authorization for in-network dialysis; out-of-network dialysis needs approval.", "Bill monthly capitation payments for dialysis with 90935–90999.", "all", facilityTypes},
	{"Durable medical equipment", "Durable medical equipment (DME) such as wheelchairs, hospital beds, oxygen equipment and CPAP devices is covered when prescribed for use in the home.",
		"Rental or purchase is decided by the plan; repairs are covered, duplicates for convenience are not.", "Items over $500, power mobility devices and all rentals over three months need prior authorization; send the Smart Sheet with the request.", "Use HCPCS E and K codes with the RR, NU or UE modifier.", "all", []string{"ancillary", "physician"}},
	{"Emergency services", "Emergency services are covered worldwide, in or out of network, whenever a prudent layperson would believe that delaying care could seriously harm the member's health.",
		"Follow-up care after the member is stable must be arranged with the member's PCP or PPG.", "No prior authorization for emergency care; hospitals must notify the plan of an admission within 24 hours.", "Bill the emergency department visit with 99281–99285 and the appropriate revenue codes.", "all", []string{"hospital", "physician", "ppg"}},
	{"Family planning", "Contraceptive counseling, all FDA-approved contraceptives, sterilization and pregnancy testing are covered. Medi-Cal members may see any qualified family planning provider without a referral.",
		"Reversal of sterilization is not covered.", "No prior authorization needed; these are sensitive services that minors may consent to themselves.", "Use the FP modifier for Medi-Cal family planning services.", "all", []string{"physician", "ppg", "hospital"}},
	{"Hearing aids", "Hearing examinations and hearing aids are covered for members whose plan includes the benefit, including fitting and follow-up visits.",
		"One hearing aid per ear every 36 months, up to the plan's benefit maximum.", "Hearing aids need prior authorization with the audiogram.", "Bill V5010–V5275 for aids and fitting.", "medicare", []string{"ancillary", "physician"}},
	{"Home health care", "Skilled nursing, physical, occupational and speech therapy and home health aide visits are covered for homebound members under a physician's plan of care.",
		"Custodial care alone is not a covered home health service.", "All home health episodes need prior authorization; recertify every 60 days.", "Bill home health visits with revenue codes 042X–058X and the HCPCS G-codes.", "all", []string{"ancillary", "physician"}},
	{"Hospice", "Hospice care for members with a terminal illness and a life expectancy of six months or less covers nursing, aides, social work, counseling, drugs for symptom control and respite care.",
		"Curative treatment of the terminal illness is not covered while the member elects hospice, except for children under 21 enrolled in Medi-Cal.", "No prior authorization; send the election statement and certification of terminal illness.", "Medicare members' hospice claims go to Original Medicare.", "all", facilityTypes},
	{"Immunizations", "Vaccines recommended by the Advisory Committee on Immunization Practices are covered at no cost for children and adults, including influenza, COVID-19, Tdap, HPV, pneumococcal and shingles vaccines.",
		"Travel vaccines are covered only when the plan includes them.", "No prior authorization needed.", "Medi-Cal children's vaccines come from the Vaccines for Children program: bill the administration code only.", "all", []string{"physician", "ppg", "ancillary"}},
	{"Infertility services", "Diagnosis of infertility and treatment of its underlying medical cause are covered under Commercial plans; fertility preservation is covered when treatment may cause infertility.",
		"In vitro fertilization is covered only by plans that purchased the benefit.", "Fertility preservation and treatment beyond diagnosis need prior authorization.", "Bill with the Z31 diagnosis codes.", "commercial", officeTypes},
	{"Laboratory services", "Outpatient laboratory tests ordered by a participating provider are covered at contracted laboratories.",
		"Genetic testing is covered only when the result will change the member's treatment.", "Genetic and molecular tests need prior authorization; routine tests do not.", "Send specimens to a contracted laboratory; draws in the office are billed with 36415.", "all", []string{"ancillary", "physician", "ppg"}},
	{"Maternity care", "Prenatal visits, delivery, postpartum care up to 12 months, lactation support and doula services for Medi-Cal members are covered.",
		"Elective home births are not covered.", "Notify the plan of the pregnancy at the first prenatal visit; inpatient stays beyond 48 hours (96 after a cesarean) need review.", "Bill global obstetric packages with 59400–59622.", "all", []string{"physician", "ppg", "hospital"}},
	{"Nurse advice line", "Members can reach a registered nurse at any hour for advice on symptoms, medicines and where to get care.",
		"The nurse advice line does not replace emergency services.", "Not applicable.", "Not a billable service.", "all", allTypes},
	{"Outpatient surgery", "Surgery in a hospital outpatient department or ambulatory surgery center is covered when medically necessary.",
		"Cosmetic surgery is not covered; reconstructive surgery is.", "Most elective outpatient procedures need prior authorization; the prior authorization requirements page lists them by line of business.", "Bill the facility fee on a UB-04 and the professional fee on a CMS-1500.", "all", []string{"hospital", "physician", "ppg"}},
	{"Physical, occupational and speech therapy", "Rehabilitative and habilitative therapy is covered when it restores or develops function.",
		"Maintenance therapy is not covered once goals are met.", "An evaluation and the first six visits need no authorization; further visits need a treatment plan.", "Bill timed codes in 15-minute units with the GP, GO or GN modifier.", "all", []string{"ancillary", "physician"}},
	{"Podiatry", "Foot care for members with diabetes or peripheral vascular disease, treatment of injuries and surgery of the foot are covered.",
		"Routine nail trimming is covered only for members with a qualifying systemic condition.", "Foot surgery needs prior authorization.", "Use the Q7–Q9 modifiers to show the class findings for routine foot care.", "all", officeTypes},
	{"Radiology and advanced imaging", "X-rays, ultrasound, CT, MRI, MRA, PET, nuclear cardiology and MUGA scans are covered when ordered by a participating provider.",
		"Imaging for screening without symptoms follows the preventive care guidelines.", "CT, CTA, MRI, MRA, PET, MPI and MUGA scans need prior authorization through the plan's radiology benefit manager.", "Bill the technical and professional components with the TC and 26 modifiers.", "all", []string{"ancillary", "hospital", "physician"}},
	{"Skilled nursing facility", "Skilled nursing and rehabilitation in a skilled nursing facility (SNF) are covered after a qualifying need is documented.",
		"Custodial or long-term care is covered only under Medi-Cal long-term care rules.", "Every SNF admission needs prior authorization; concurrent review every seven days.", "Bill with revenue code 0191–0194 and the assessment reference date.", "all", facilityTypes},
	{"Telehealth", "Video and audio-only visits are covered at the same rate as in-person visits when the service is appropriate for telehealth.",
		"The member must agree to a telehealth visit and may ask for an in-person visit instead.", "Same as in-person services.", "Use place of service 02 or 10 and the 95 or 93 modifier.", "all", []string{"physician", "ppg", "behavioral"}},
	{"Transplant services", "Organ and bone marrow transplants are covered at the plan's designated transplant centers of excellence, including evaluation, donor search, the transplant and follow-up.",
		"Transplants at facilities that are not designated need approval by the medical director.", "Every transplant evaluation and transplant needs prior authorization; send transplant requests to the transplant fax line.", "Transplant case rates include the donor's costs.", "all", []string{"hospital", "physician", "ppg"}},
	{"Urgent care", "Care for an illness or injury that needs prompt attention but is not an emergency is covered at urgent care centers and after-hours clinics.",
		"Routine follow-up should return to the member's PCP.", "No prior authorization needed.", "Bill with place of service 20.", "all", []string{"physician", "ppg", "ancillary"}},
	{"Vision care", "Routine eye examinations are covered every 12 or 24 months depending on the plan; eyeglasses or contact lenses are covered when the plan includes them.",
		"Frames above the plan allowance are the member's cost.", "No prior authorization for routine care.", "Eye examinations for diabetic retinopathy are billed as medical services.", "all", []string{"ancillary", "physician"}},
	{"Well-child visits", "Well-child visits follow the Bright Futures periodicity schedule, including developmental, vision, hearing, lead and depression screenings.",
		"None for preventive visits.", "No prior authorization needed.", "Medi-Cal well-child visits include the blood lead screening at 12 and 24 months.", "medical", officeTypes},
	{"Enhanced Care Management", "Enhanced Care Management (ECM) gives Medi-Cal members with the most complex needs a lead care manager who coordinates their medical, behavioral and social services.",
		"A member receives ECM from one provider at a time.", "Referrals for ECM go through the care management referral form.", "ECM providers bill monthly with G9008 and the U1 modifier.", "medical", []string{"cs_ecm"}},
	{"Community Supports", "Community Supports such as housing navigation, medically tailored meals, recuperative care and asthma remediation are offered to eligible Medi-Cal members in place of other services.",
		"Each Community Support has its own eligibility criteria.", "Every Community Support needs authorization before it starts.", "Bill with the HCPCS code and modifier listed for each Community Support.", "medical", []string{"cs_ecm"}},
}

var alertEntries = []libEntry{
	{"alerts", "Respiratory virus season: testing and treatment coverage", "COVID-19, influenza and RSV tests and antiviral treatment are covered without prior authorization this season.",
		"Testing for COVID-19, influenza and RSV is covered at no cost when ordered by a provider.\n\n## Antiviral treatment\nOral antivirals are on the preferred drug list for every line of business. No prior authorization is required.\n\n## Vaccines\nThe updated vaccines are covered at no cost for all members aged six months and older.",
		"all", clinicalTypes, "", "2026-10-01"},
	{"alerts", "Portal maintenance window on Sunday mornings", "The portal may be unavailable on Sundays from 2 a.m. to 6 a.m. Pacific time for maintenance.",
		"During the maintenance window, eligibility checks and claim look-ups may be unavailable. Call Provider Services for urgent eligibility questions.", "all", allTypes, "", "2026-09-15"},
	{"alerts", "Wildfire emergency: early prescription refills and continuity of care", "Members in counties under a state of emergency may refill prescriptions early and see out-of-network providers.",
		"When the Governor declares a state of emergency, members in the affected counties may:\n\n- refill prescriptions early at any pharmacy;\n- replace lost medicines and medical equipment;\n- see out-of-network providers without prior authorization.\n\nPlease waive referral requirements for displaced members.", "all", allTypes, "", "2026-08-20"},
	{"alerts", "Measles exposure guidance for medical offices", "Isolate patients with fever and rash on arrival and report suspected measles to the local health department.",
		"Ask patients who call with fever and rash to wait outside or in a separate room. Check immunization status and offer MMR vaccine to members who are not immune.", "all", clinicalTypes, "", "2026-05-02"},
	{"alerts", "Change Healthcare outage: claims submission alternatives", "If your clearinghouse is affected by the outage, submit claims through the portal or on paper.",
		"Providers who cannot reach their clearinghouse may submit Individual & Family Plan claims in the portal, or mail paper claims. Timely filing limits are extended for the length of the outage.", "commercial", clinicalTypes, "", "2024-03-05"},
	{"alerts", "Mpox vaccine and testing resources", "The JYNNEOS vaccine and mpox testing are covered at no cost.",
		"Offer the two-dose JYNNEOS vaccine to members at risk. Testing through commercial laboratories is covered without prior authorization.", "all", clinicalTypes, "", "2022-08-10"},
}

var priorAuthEntries = []libEntry{
	{"prior_auth", "Prior authorization requirements: Commercial HMO, PPO and EPO", "Services that need approval before they are provided to Commercial members.",
		"Ask for approval through the portal's Authorizations tab, with the Smart Sheet for the service.\n\n## Inpatient\n- Elective inpatient admissions\n- Skilled nursing facility and acute rehabilitation admissions\n\n## Outpatient\n- Advanced imaging: CT, CTA, MRI, MRA, PET, MPI and MUGA scans\n- Outpatient surgery listed in the procedure code list\n- Genetic and molecular testing\n- Durable medical equipment over $500\n\n## Behavioral health\n- Psychological testing, ABA therapy, partial hospitalization and intensive outpatient programs",
		"commercial", clinicalTypes, "", "2026-01-01"},
	{"prior_auth", "Prior authorization requirements: Medicare Advantage and DSNP", "Services that need approval before they are provided to Medicare and DSNP members.",
		"Medicare Advantage and DSNP members need prior authorization for:\n\n## Inpatient\n- Elective admissions, long-term acute care and skilled nursing facility stays\n\n## Outpatient\n- Part B drugs on the medical injectable list\n- Advanced imaging and nuclear cardiology\n- Home health, hospice transfers and durable medical equipment over $500\n\n## Decision times\nStandard requests are decided within 7 calendar days and expedited requests within 72 hours.",
		"medicare", clinicalTypes, "", "2026-01-01"},
	{"prior_auth", "Prior authorization requirements: Medi-Cal", "Services that need approval before they are provided to Medi-Cal members.",
		"Medi-Cal members need prior authorization for:\n\n## Inpatient\n- Elective admissions and skilled nursing facility stays\n\n## Outpatient\n- Advanced imaging, outpatient surgery and genetic testing\n- Non-emergency medical transportation\n- Community Supports and Enhanced Care Management enrollment\n\n## Decision times\nRoutine requests are decided within 5 business days and urgent requests within 72 hours.",
		"medical", append(clinicalTypes, "cs_ecm"), "", "2026-01-01"},
	{"prior_auth", "Smart Sheets: what to send with a request", "Smart Sheets list the clinical criteria the reviewer checks; sending one speeds up the decision.",
		"Smart Sheets are InterQual-based question sets. Download the sheet for the service from the Authorizations tab, check the criteria that apply and attach it to the request. You can attach a Smart Sheet at any step before you submit.",
		"all", clinicalTypes, "", "2025-06-01"},
	{"prior_auth", "Urgent (expedited) prior authorization requests", "When a standard decision time could seriously jeopardize the member's life, health or ability to regain maximum function, ask for an urgent review.",
		"Mark the request as urgent in the first step of the authorization form and explain why. Requests marked urgent without a clinical reason are reviewed as standard requests.",
		"all", clinicalTypes, "", "2025-06-01"},
	{"prior_auth", "Radiology benefit management: advanced imaging authorizations", "Advanced outpatient imaging for every line of business is reviewed by the plan's radiology benefit manager.",
		"CT, CTA, CCTA, MRI, MRA, MPI, MUGA and PET scans need approval before they are performed. Emergency department and inpatient imaging does not.", "all", []string{"physician", "ppg", "ancillary"}, "", "2025-02-01"},
}

// updateTopic is a provider update or letter; those dated 2018–2019 become PDF documents.
type updateTopic struct {
	code, date, title, summary string
	paras                      []string
	lob                        string
	types                      []string
}

var updateTopics = []updateTopic{
	{"18-101", "2018-01-15", "2018 Medi-Cal provider directory attestation", "Confirm your directory information every quarter so members can find you.",
		[]string{"State law requires health plans to keep their provider directories accurate. Participating providers must confirm their directory information every quarter, including whether they accept new patients.", "Providers who do not respond within 30 business days may be removed from the directory."}, "medical", officeTypes},
	{"18-134", "2018-02-20", "Timely access to care standards", "Appointment wait-time standards for urgent, routine and specialty care.",
		[]string{"Urgent appointments that do not need prior authorization must be offered within 48 hours; those that need prior authorization within 96 hours.", "Non-urgent primary care appointments must be offered within 10 business days, and non-urgent specialist appointments within 15 business days.", "Telephone triage must be available 24 hours a day, 7 days a week, with a call back within 30 minutes."}, "all", allTypes},
	{"18-177", "2018-03-28", "Opioid prescribing limits for new starts", "New opioid prescriptions for acute pain are limited to a seven-day supply.",
		[]string{"Prescriptions for opioid-naive members are limited to a seven-day supply for acute pain. Longer supplies need prior authorization.", "Naloxone is covered without prior authorization and should be co-prescribed for members on high doses."}, "all", officeTypes},
	{"18-212", "2018-05-04", "Claims submission address change", "Paper claims must be sent to the new post office box from July 1, 2018.",
		[]string{"From July 1, 2018, paper claims for every line of business must be mailed to the new claims post office box. Claims sent to the old address will be forwarded for 90 days.", "Electronic claims are not affected."}, "all", clinicalTypes},
	{"18-256", "2018-06-12", "Interpreter services at no cost to members", "Members have the right to a qualified interpreter at every visit, at no cost.",
		[]string{"Offer an interpreter to every member with limited English proficiency. Do not ask family members, especially minors, to interpret.", "Request telephone, video or in-person interpreters through Provider Services at least five business days before the visit for in-person interpreters."}, "all", allTypes},
	{"18-301", "2018-07-19", "Initial health assessment within 120 days", "New Medi-Cal members must receive an initial health assessment within 120 days of enrollment.",
		[]string{"Primary care providers must complete an initial health assessment, including a history, physical examination and individual health education behavioral assessment, within 120 days of enrollment."}, "medical", officeTypes},
	{"18-344", "2018-08-30", "Hospital admission notification within 24 hours", "Hospitals must notify the plan of every admission within 24 hours or the next business day.",
		[]string{"Notify the plan of emergency admissions within 24 hours, or by the next business day for weekend admissions. Late notification may lead to denial of the inpatient days before notification."}, "all", facilityTypes},
	{"18-388", "2018-10-02", "2019 Commercial formulary changes", "Changes to the preferred drug list that take effect January 1, 2019.",
		[]string{"Several brand-name inhalers move to tier 3 and their generic equivalents to tier 1.", "Step therapy is added for two biologics for rheumatoid arthritis."}, "commercial", officeTypes},
	{"18-421", "2018-11-08", "Flu season reminders for medical offices", "Offer influenza vaccine to every member six months and older.",
		[]string{"Influenza vaccine is covered at no cost. Pharmacies in the network also give the vaccine.", "Report vaccines to the state immunization registry within 14 days."}, "all", clinicalTypes},
	{"18-460", "2018-12-14", "Holiday office hours of the Provider Services Center", "The Provider Services Center closes on December 25 and January 1.",
		[]string{"The Provider Services Center is closed on December 25, 2018 and January 1, 2019. The portal remains available for eligibility and claim status."}, "all", allTypes},
	{"19-102", "2019-01-10", "Electronic funds transfer enrollment", "Enroll in electronic funds transfer (EFT) to be paid faster.",
		[]string{"Providers enrolled in EFT receive payment up to a week earlier than by paper check. Enrollment forms are in Forms and references.", "Explanations of payment remain available in the portal under Payment history."}, "all", clinicalTypes},
	{"19-145", "2019-02-21", "Balance billing is prohibited", "Providers may not bill members for covered services beyond their cost share.",
		[]string{"Participating providers must not bill members for covered services beyond copayments, coinsurance and deductibles. Medi-Cal and DSNP members with Medi-Cal may not be billed for any cost share."}, "all", clinicalTypes},
	{"19-189", "2019-03-27", "Blood lead screening of young children", "Screen Medi-Cal children for blood lead at 12 and 24 months.",
		[]string{"Blood lead screening is required at 12 and 24 months of age, and up to age six for children not screened. Give anticipatory guidance on lead exposure at every well-child visit from six months to six years."}, "medical", officeTypes},
	{"19-233", "2019-05-02", "Cultural competency training requirement", "Office staff must complete cultural competency training each year.",
		[]string{"Participating providers and their staff must complete cultural competency and sensitivity training annually. The course in Education and training meets this requirement."}, "all", allTypes},
	{"19-276", "2019-06-13", "Medicare annual wellness visit", "Schedule an annual wellness visit for every Medicare member.",
		[]string{"The annual wellness visit includes a health risk assessment, a review of medicines, a cognitive screen and a personalized prevention plan. There is no cost share for the member."}, "medicare", officeTypes},
	{"19-318", "2019-07-25", "Non-emergency medical transportation requests", "How to arrange non-emergency medical transportation for Medi-Cal members.",
		[]string{"Send the physician certification statement with every NEMT request. Requests need at least five business days' notice except for urgent appointments or hospital discharges."}, "medical", clinicalTypes},
	{"19-352", "2019-08-29", "Smart Sheets for durable medical equipment", "Attach the Smart Sheet to DME requests to avoid delays.",
		[]string{"Requests for durable medical equipment over $500 reviewed without a Smart Sheet take longer. Download the sheet from the Authorizations tab and attach it to the request."}, "all", []string{"ancillary", "physician"}},
	{"19-390", "2019-10-03", "Influenza season: antivirals and testing", "Antiviral treatment for influenza is covered without prior authorization.",
		[]string{"Oseltamivir and baloxavir are on the preferred drug list for every line of business without prior authorization during influenza season.", "Rapid influenza testing is covered in the office."}, "all", clinicalTypes},
	{"19-427", "2019-11-14", "Provider dispute resolution process", "How to dispute a claim decision and when you will hear back.",
		[]string{"Submit a provider dispute within 365 days of the claim decision. We acknowledge disputes within 15 working days and decide them within 45 working days."}, "all", clinicalTypes},
	{"19-468", "2019-12-19", "2020 prior authorization list changes", "Services added to and removed from the prior authorization list on January 1, 2020.",
		[]string{"Added: genetic testing panels and outpatient sleep studies. Removed: routine echocardiograms and in-office cataract evaluations."}, "all", clinicalTypes},
}

// newsEntries are updates from 2020 on, kept as a news feed.
var newsEntries = []libEntry{
	{"updates", "COVID-19 telehealth flexibilities", "Telehealth visits, including audio-only visits, are covered at the same rate as in-person visits.", "During the public health emergency, telehealth and audio-only visits are paid at the in-person rate. Use place of service 02 and modifier 95.", "all", []string{"physician", "ppg", "behavioral"}, "20-210", "2020-03-20"},
	{"updates", "Cost share waived for COVID-19 testing", "Members pay nothing for COVID-19 diagnostic tests and the visit that leads to a test.", "Cost sharing is waived for FDA-authorized COVID-19 tests and the related office, urgent care or emergency visit.", "all", clinicalTypes, "20-245", "2020-04-02"},
	{"updates", "Electronic visit verification for home health", "Home health agencies must record visits in an electronic visit verification system.", "From January 2021, home health visits must be captured in the state's EVV system. Claims without a matching visit record will be denied.", "medical", []string{"ancillary"}, "20-612", "2020-10-15"},
	{"updates", "Medi-Cal pharmacy moves to Medi-Cal Rx", "Outpatient pharmacy for Medi-Cal members is administered by the state's Medi-Cal Rx program.", "From January 1, 2022, Medi-Cal pharmacy claims and prior authorizations for outpatient drugs go to Medi-Cal Rx. Physician-administered drugs remain with the plan.", "medical", officeTypes, "21-880", "2021-12-01"},
	{"updates", "CalAIM: Enhanced Care Management and Community Supports launch", "Enhanced Care Management and Community Supports begin for Medi-Cal members.", "CalAIM replaces Health Homes and Whole Person Care with Enhanced Care Management and Community Supports. Refer eligible members through the care management referral form.", "medical", []string{"cs_ecm", "physician", "ppg"}, "22-014", "2022-01-05"},
	{"updates", "One portal for every line of business", "All lines of business now use one provider portal.", "Commercial, Medicare/DSNP and Medi-Cal transactions are on one portal. Choose the plan type in the selector at the top of each page. Update your bookmarks.", "all", allTypes, "21-940", "2021-11-18"},
	{"updates", "Continuous glucose monitors covered at the pharmacy", "CGMs may now be dispensed by network pharmacies.", "Continuous glucose monitors and sensors are covered under the pharmacy benefit for Commercial and Medicare members who use insulin.", "commercial", officeTypes, "23-310", "2023-05-10"},
	{"updates", "Renewed agreement with Central Valley Community Hospital", "Medi-Cal members keep full access to the Central Valley Community Hospital system.", "The plan has renewed its agreement with Central Valley Community Hospital. Members continue to have access to all of its facilities without interruption.", "medical", []string{"hospital", "physician", "ppg"}, "23-493", "2023-01-03"},
	{"updates", "Doula services for Medi-Cal members", "Doula services during pregnancy, labor and the postpartum period are a covered Medi-Cal benefit.", "Doulas who enroll as Medi-Cal providers and contract with the plan may bill for prenatal and postpartum visits and support during labor and delivery.", "medical", []string{"physician", "ppg", "hospital"}, "23-720", "2023-09-01"},
	{"updates", "Safeguard patient privacy when sharing medical records", "Keep a written policy that protects confidential health information and honor confidential communication requests.", "Participating providers must keep a written HIPAA privacy policy. For sensitive services, do not disclose the member's information to the subscriber without the member's authorization, and send communications to the address the member chose. Respond to confidential communication requests within 7 calendar days of an electronic or telephone request and 14 calendar days of a mailed request.", "all", allTypes, "24-1094", "2024-10-11"},
	{"updates", "Secure messaging replaces fax for authorization questions", "Ask about an authorization through secure messaging in the portal.", "Messages about a pending authorization reach the reviewer directly and keep a record of the conversation. Protected health information must never be sent by ordinary e-mail.", "all", clinicalTypes, "25-118", "2025-02-14"},
	{"updates", "Medicare Part D out-of-pocket cap", "Medicare members' out-of-pocket drug costs are capped at $2,000 a year.", "From January 1, 2025, Part D out-of-pocket costs are capped at $2,000. Members may spread costs over the year with the Medicare Prescription Payment Plan.", "medicare", officeTypes, "24-1210", "2024-12-02"},
	{"updates", "2026 provider manual updates", "The operations manual has been updated for 2026.", "Changes include new timely access standards for behavioral health, the updated prior authorization list and revised transplant referral steps.", "all", allTypes, "25-1302", "2025-12-15"},
	{"updates", "Claims payment: electronic remittance for all lines", "Electronic remittance advice (835) is available for every line of business.", "Enroll for ERA through your clearinghouse. The portal continues to show explanations of payment for the last 18 months.", "all", clinicalTypes, "26-044", "2026-02-03"},
	{"updates", "Behavioral health follow-up after emergency visits", "Members seen in the emergency department for mental illness or substance use need follow-up within seven days.", "Hospitals should schedule a follow-up visit before discharge. The plan's care managers can help arrange it.", "all", []string{"hospital", "behavioral", "physician"}, "26-310", "2026-06-20"},
}

var formEntries = []libEntry{
	{"forms", "Authorization request form (paper)", "For offices that cannot use the portal: the fax form for prior authorization requests.", "Complete every field, attach clinical notes and the Smart Sheet, and fax to the Medical Management line for the member's line of business.", "all", clinicalTypes, "", "2025-01-01"},
	{"forms", "Provider dispute resolution request", "Dispute a claim decision within 365 days of the decision.", "Use one form per claim, or the spreadsheet attachment for several similar claims. Include the claim number and the reason for the dispute.", "all", clinicalTypes, "", "2025-01-01"},
	{"forms", "Electronic funds transfer (EFT) enrollment form", "Enroll in electronic payment.", "Attach a voided check or bank letter. Changes take effect within 30 days.", "all", clinicalTypes, "", "2024-07-01"},
	{"forms", "Care management referral form", "Refer a member to case management, disease management or Enhanced Care Management.", "Referrals can also be made online from the member's record in the portal, which is faster.", "all", append(clinicalTypes, "cs_ecm"), "", "2025-03-01"},
	{"forms", "Physician certification statement for NEMT", "Required for non-emergency medical transportation.", "The treating provider certifies the member's need for ambulance, litter van, wheelchair van or air transport.", "medical", clinicalTypes, "", "2024-05-01"},
	{"forms", "Confidential communication request form", "Members use this form to ask that communications about sensitive services go to an address they choose.", "Give the form to members who ask. The plan responds within 7 calendar days of an electronic or telephone request and 14 calendar days of a mailed request.", "all", allTypes, "", "2024-10-11"},
	{"forms", "Initial health assessment checklist", "A checklist of what the initial health assessment must include.", "History, physical examination, preventive services and the individual health education behavioral assessment.", "medical", officeTypes, "", "2023-01-01"},
	{"forms", "Member transfer request", "Ask that a member be reassigned to another primary care provider.", "State the reason for the request. Members are reassigned on the first day of the following month.", "all", officeTypes, "", "2022-06-01"},
	{"forms", "Quick reference guide: claims and eligibility", "One page with the addresses, payer IDs and phone numbers offices use most.", "Keep this guide by the phone.", "all", allTypes, "", "2026-01-01"},
	{"forms", "W-9 and provider information change form", "Tell the plan about a new address, TIN, phone number or billing information.", "Send changes at least 30 days before they take effect.", "all", allTypes, "", "2025-04-01"},
	{"forms", "Hospice election and revocation notice", "Forms for a member electing or revoking hospice.", "Send a copy to the plan within five days.", "all", facilityTypes, "", "2023-09-01"},
	{"forms", "Sterilization consent form (PM 330)", "The consent form required for sterilization of Medi-Cal members.", "The member must sign at least 30 days before the procedure.", "medical", []string{"physician", "hospital"}, "", "2023-01-01"},
}

var contactEntries = []libEntry{
	{"contacts", "Provider Services Center", "Eligibility, benefits, claim status and general questions.", "Commercial: 800-555-0110 · Medicare and DSNP: 800-555-0113 · Medi-Cal: 800-555-0114.", "all", allTypes, "", "2026-01-01"},
	{"contacts", "Medical Management Department", "Prior authorizations and concurrent review.", "Phone: 800-555-0120 (Medi-Cal 800-555-0123). Fax: 800-555-0122 (Medi-Cal 800-555-0124). Transplant fax: 800-555-0129 (Medi-Cal 800-555-0128).", "all", clinicalTypes, "", "2026-01-01"},
	{"contacts", "Behavioral health provider line", "Authorizations and claims for behavioral health services.", "Call 800-555-0115, 24 hours a day.", "all", []string{"behavioral"}, "", "2026-01-01"},
	{"contacts", "Credentialing", "Joining the network and recredentialing every three years.", "E-mail credentialing@plan.example or call 800-555-0131.", "all", allTypes, "", "2026-01-01"},
	{"contacts", "Pharmacy help desk", "Preferred drug list, exceptions and pharmacy prior authorizations.", "Call 800-555-0132; fax 800-555-0133. Medi-Cal outpatient drugs are handled by Medi-Cal Rx.", "all", officeTypes, "", "2026-01-01"},
	{"contacts", "Interpreter services", "Book a telephone, video or in-person interpreter for a member.", "Call 800-555-0134 at least five business days ahead for in-person interpreters.", "all", allTypes, "", "2026-01-01"},
	{"contacts", "Case management", "Refer members with complex needs.", "Call 800-555-0135 or use the referral in the member's record.", "all", clinicalTypes, "", "2026-01-01"},
	{"contacts", "Provider network management", "Contracts, directory updates and your provider relations representative.", "Call 800-555-0136.", "all", allTypes, "", "2026-01-01"},
	{"contacts", "Quality improvement department", "HEDIS medical record requests and quality programs.", "Call 800-555-0137; fax medical records to 800-555-0138.", "all", clinicalTypes, "", "2026-01-01"},
	{"contacts", "Transportation services", "Book non-emergency medical and non-medical transportation.", "Call 800-555-0139 at least two business days ahead.", "medical", allTypes, "", "2026-01-01"},
	{"contacts", "Fraud, waste and abuse hotline", "Report suspected fraud anonymously.", "Call 800-555-0140, 24 hours a day.", "all", allTypes, "", "2026-01-01"},
}

var educationEntries = []libEntry{
	{"education", "Breast cancer screening tip sheet", "Who to screen, how often, and how to close the gap.", "Mammography every two years for women aged 50 to 74, and from 40 by shared decision. Record screenings done elsewhere in the chart.", "all", officeTypes, "", "2025-10-01"},
	{"education", "Colorectal cancer screening options", "Colonoscopy, FIT, stool DNA and CT colonography compared.", "Screening starts at 45. A FIT kit mailed to the member's home is covered and closes many gaps.", "all", officeTypes, "", "2025-03-01"},
	{"education", "Cervical cancer screening guide", "Screening intervals by age and test type.", "Cytology every three years from 21 to 29; from 30 to 65, HPV testing every five years or co-testing.", "all", officeTypes, "", "2024-01-15"},
	{"education", "Diabetes care: the annual checklist", "HbA1c, eye exam, kidney health evaluation and blood pressure control.", "Each member with diabetes needs an HbA1c test, a retinal eye exam, a kidney health evaluation (eGFR and uACR) and blood pressure under 140/90 each year.", "all", officeTypes, "", "2025-05-01"},
	{"education", "Webinar calendar for office staff", "Monthly webinars on the portal, claims and authorizations.", "Register for the monthly portal webinar, the quarterly claims workshop and the annual prior authorization update.", "all", allTypes, "", "2026-09-01"},
	{"education", "Using the provider portal: a guide for new staff", "Eligibility checks, authorizations, claims and messaging in twenty minutes.", "Start with the plan type selector, then check eligibility by member ID and date of birth. The instruction manual in Help covers every area.", "all", allTypes, "", "2026-02-01"},
	{"education", "Childhood immunization schedule at a glance", "Vaccines by age from birth to 18.", "A printable schedule with catch-up guidance.", "all", officeTypes, "", "2026-01-10"},
	{"education", "Depression screening in primary care", "Screen adolescents and adults with the PHQ-2 and PHQ-9.", "Screen at least once a year and document a follow-up plan for positive screens.", "all", []string{"physician", "ppg", "behavioral"}, "", "2024-06-01"},
}

var healthEquityEntries = []libEntry{
	{"health_equity", "Language assistance program", "How members get interpreters and translated materials, and what your office must do.", "Members with limited English proficiency have the right to a qualified interpreter at no cost. Post the notice of language assistance in your waiting room.\n\n## Threshold languages\nMaterials are translated into Spanish, Chinese, Vietnamese, Tagalog, Korean, Armenian, Farsi, Russian, Arabic and Hmong.", "all", allTypes, "", "2025-07-01"},
	{"health_equity", "Cultural awareness training", "An online course on culturally and linguistically appropriate care.", "The course takes about 45 minutes and meets the annual cultural competency requirement.", "all", allTypes, "", "2025-01-20"},
	{"health_equity", "Gender-affirming care resources", "Respectful care for transgender and nonbinary members.", "Use the member's chosen name and pronouns. Gender-affirming care is a sensitive service protected by confidential communication rules.", "all", allTypes, "", "2024-06-01"},
	{"health_equity", "Social determinants of health: Z codes", "Record housing, food and transportation needs with ICD-10-CM Z codes.", "Z59 (housing and economic circumstances) and Z60–Z65 codes help the plan connect members to Community Supports.", "all", append(officeTypes, "cs_ecm"), "", "2024-11-01"},
	{"health_equity", "Working with interpreters: tips for clinicians", "Speak to the member, not the interpreter, and check understanding with teach-back.", "Plan extra time, use short sentences and avoid idioms.", "all", allTypes, "", "2023-08-01"},
}

var glossaryEntries = []libEntry{
	{"glossary", "Capitation", "A fixed monthly payment per member to a PPG or hospital for a set of services.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "Coordination of benefits (COB)", "Rules that decide which plan pays first when a member has more than one.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "Dual special needs plan (DSNP)", "A Medicare Advantage plan for members who have both Medicare and Medi-Cal.", "", "medicare", allTypes, "", "2024-01-01"},
	{"glossary", "Explanation of payment (EOP)", "The statement that explains how each claim line on a check was paid.", "", "all", clinicalTypes, "", "2024-01-01"},
	{"glossary", "HEDIS", "Healthcare Effectiveness Data and Information Set: the quality measures health plans report.", "", "all", clinicalTypes, "", "2024-01-01"},
	{"glossary", "Health risk assessment (HRA)", "A questionnaire that identifies a member's health needs early.", "", "all", clinicalTypes, "", "2024-01-01"},
	{"glossary", "Individual & Family Plan (IFP)", "Commercial coverage bought by individuals, including through Covered California.", "", "commercial", allTypes, "", "2024-01-01"},
	{"glossary", "Line of business", "A group of plans with the same rules: Commercial, Medicare/DSNP or Medi-Cal.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "National Provider Identifier (NPI)", "The ten-digit number that identifies a health care provider.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "Participating physician group (PPG)", "A medical group or IPA contracted with the plan, often capitated.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "Prior authorization", "Approval the plan gives before a service is provided.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "Smart Sheet", "A question set of clinical criteria sent with a prior authorization request.", "", "all", clinicalTypes, "", "2024-01-01"},
	{"glossary", "Tax identification number (TIN)", "The federal number under which a provider is paid.", "", "all", allTypes, "", "2024-01-01"},
	{"glossary", "Timely filing", "The time limit for submitting a claim after the date of service.", "", "all", clinicalTypes, "", "2024-01-01"},
	{"glossary", "Utilization management", "Review of whether services are medically necessary and provided in the right setting.", "", "all", clinicalTypes, "", "2024-01-01"},
}

var qualityEntries = []libEntry{
	{"quality", "Quality improvement program description", "The goals, structure and yearly work plan of the plan's quality program.", "The program covers clinical quality, member experience, patient safety and access to care.\n\n## Committees\nThe Quality Improvement Committee meets quarterly and includes participating physicians.\n\n## Work plan\nEach year's work plan sets measurable goals for HEDIS measures and access standards.", "all", allTypes, "", "2026-03-01"},
	{"quality", "HEDIS medical record review season", "Staff may ask for medical records from January to May.", "Send records within five business days of the request. Records sent through the portal are encrypted.", "all", clinicalTypes, "", "2026-01-10"},
	{"quality", "Facility site review and medical record review", "Site reviews for Medi-Cal primary care offices every three years.", "Reviewers check the office, equipment, infection control and a sample of medical records.", "medical", officeTypes, "", "2025-04-01"},
	{"quality", "Potential quality issues: how they are reviewed", "How the plan investigates a concern about the quality of care.", "A nurse reviews the case and the medical director decides whether peer review is needed. Findings are confidential.", "all", allTypes, "", "2024-09-01"},
	{"quality", "Member experience survey results", "What members said about getting care quickly and communicating with their doctors.", "Scores improved for getting needed care; how well doctors communicate remains the highest-rated area.", "all", officeTypes, "", "2025-11-01"},
	{"quality", "Access and availability standards", "After-hours access, appointment wait times and telephone answer times.", "After-hours callers must reach a live person or an answering service that explains how to reach the on-call provider.", "all", allTypes, "", "2025-06-01"},
}

// newsletterIssues are the quarterly newsletter issues.
var newsletterIssues = []struct{ date, season, lead, second string }{
	{"2024-03-01", "Spring 2024", "Colorectal cancer screening month", "New prior authorization list"},
	{"2024-06-01", "Summer 2024", "Heat illness prevention for older members", "Portal tips: checking cost share"},
	{"2024-09-01", "Fall 2024", "Flu and COVID-19 vaccines together", "Safeguarding patient privacy"},
	{"2024-12-01", "Winter 2024", "Medicare Part D changes for 2025", "Holiday hours"},
	{"2025-03-01", "Spring 2025", "Doula services one year on", "Secure messaging for authorization questions"},
	{"2025-06-01", "Summer 2025", "Diabetes care checklist", "Facility site reviews"},
	{"2025-09-01", "Fall 2025", "Respiratory virus season", "Meet the Medical Management team"},
	{"2025-12-01", "Winter 2025", "2026 operations manual changes", "Year-end claims reminders"},
	{"2026-03-01", "Spring 2026", "Behavioral health follow-up after emergency visits", "Electronic remittance for all lines"},
	{"2026-06-01", "Summer 2026", "Wildfire season preparedness", "New webinar calendar"},
}
