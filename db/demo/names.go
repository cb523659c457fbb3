package demo

// Name and place lists for plausible demo people. Mixed origins, as in California;
// some last names carry accents so that accent-insensitive matching is exercised.

var firstNamesF = []string{"Maria", "Linda", "Jennifer", "Patricia", "Elizabeth", "Susan", "Jessica", "Sarah", "Karen", "Nancy",
	"Lisa", "Betty", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah",
	"Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy", "Angela", "Ana", "Guadalupe", "Rosa", "Carmen",
	"Sofia", "Isabella", "Camila", "Valeria", "Ximena", "Lucia", "Mei", "Xiu", "Yuki", "Hana", "Priya", "Ananya", "Nguyen Thi",
	"Linh", "Thao", "Fatima", "Aisha", "Leila", "Grace", "Chloe", "Zoe", "Olivia", "Emma", "Ava", "Mia", "Harper"}

var firstNamesM = []string{"James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
	"Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin",
	"Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jose", "Juan", "Luis", "Carlos", "Jesus", "Miguel", "Alejandro",
	"Diego", "Mateo", "Santiago", "Wei", "Jun", "Hiroshi", "Kenji", "Raj", "Arjun", "Vikram", "Minh", "Tuan", "Duc", "Omar",
	"Hassan", "Ali", "Samuel", "Ethan", "Noah", "Liam", "Lucas", "Benjamin", "Elijah", "Henry", "Owen"}

var lastNames = []string{"Garcia", "Hernandez", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Perez", "Sanchez", "Ramirez",
	"Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Morales", "Cruz", "Ortiz", "Gutierrez", "Chavez", "Ramos",
	"Ruiz", "Alvarez", "Mendoza", "Castillo", "Jimenez", "Moreno", "Romero", "Herrera", "Medina", "Aguilar", "Vargas",
	"Muñoz", "Peña", "Núñez", "Ibáñez", "Castañeda", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
	"Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
	"Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson",
	"Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart",
	"Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard",
	"Nguyen", "Tran", "Le", "Pham", "Huynh", "Vo", "Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wong", "Lin", "Kim",
	"Park", "Choi", "Tanaka", "Yamamoto", "Sato", "Nakamura", "Patel", "Shah", "Singh", "Kumar", "Gupta", "Sharma",
	"Khan", "Ahmed", "Hassan", "Haddad", "Nazari", "Petrosyan", "Sargsyan", "Hakobyan", "O'Brien", "O'Connor", "McDonald",
	"St. John", "Van Dyke", "De La Cruz", "Dubois", "Lefèvre", "Müller", "Schröder", "Novak", "Kowalski", "Ivanov"}

var streets = []string{"Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Mission Blvd", "El Camino Real",
	"Sunset Blvd", "Valley View Rd", "Harbor Blvd", "Magnolia Ave", "Foothill Blvd", "Broadway", "Olive Ave", "Palm Ave",
	"Riverside Dr", "Lincoln Ave", "Washington Blvd", "Santa Fe Ave", "Alameda St", "Chestnut St", "Hillcrest Rd", "Vista Way"}

// City is a demo city with a ZIP code and coordinates (for ProviderSearch distances).
type City struct {
	Name     string
	ZIP      string
	Lat, Lon float64
}

// Cities are real California cities with one of their ZIP codes and approximate centres.
var Cities = []City{
	{"Los Angeles", "90012", 34.0614, -118.2385}, {"Sacramento", "95814", 38.5804, -121.4944},
	{"Fresno", "93721", 36.7323, -119.7849}, {"San Diego", "92101", 32.7194, -117.1628},
	{"Oakland", "94612", 37.8094, -122.2697}, {"San Jose", "95113", 37.3337, -121.8907},
	{"Bakersfield", "93301", 35.3833, -119.0197}, {"Riverside", "92501", 33.9806, -117.3755},
	{"Stockton", "95202", 37.9577, -121.2908}, {"Modesto", "95354", 37.6391, -120.9969},
	{"Santa Ana", "92701", 33.7480, -117.8590}, {"Long Beach", "90802", 33.7683, -118.1956},
	{"Visalia", "93291", 36.3302, -119.2921}, {"Merced", "95340", 37.3022, -120.4830},
	{"San Bernardino", "92401", 34.1083, -117.2898}, {"Pasadena", "91101", 34.1466, -118.1445},
	{"Santa Rosa", "95404", 38.4404, -122.7141}, {"Redding", "96001", 40.5865, -122.3917},
	{"Salinas", "93901", 36.6777, -121.6555}, {"Chico", "95928", 39.7285, -121.8375},
}
