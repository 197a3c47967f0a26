#include "fuzz_util.h"

#include <stdio.h>
#include <string.h>

#include "entente/data.h"

int fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t k;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= k)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

const char fuzz_actors_text[] =
	"# a small dictionary for the fuzz targets\n"
	"IND\tIndia\n"
	"IND\tIndian\n"
	"IND\tNew Delhi\n"
	"IND\tModi\trole=INDGOV\tfrom=2014-05-26\n"
	"PAK\tPakistan\n"
	"PAK\tPakistani\n"
	"PAK\tIslamabad\n"
	"PAK\tImran Khan\trole=PAKGOV\tfrom=2018-08-18\tto=2022-04-10\n"
	"FRA\tFrance\n"
	"FRA\tMacron\trole=FRAGOV\tfrom=2017-05-14\n"
	"ARM\tArmenia\n"
	"ARM\tArmenian\n"
	"ARM\tPashinyan\trole=ARMGOV\tfrom=2018-05-08\n"
	"UKR\tUkraine\n"
	"UKR\tUkrainian\n"
	"UKR\tZelenskiy\trole=UKRGOV\tfrom=2019-05-20\n"
	"RUS\tRussia\n"
	"RUS\tKremlin\n"
	"RUS\tMoscow\n"
	"RUS\tPutin\trole=RUSGOV\tfrom=2012-05-07\n"
	"CHN\tChina\tcase=exact\n"
	"CHN\tChinese\n"
	"CHN\tBeijing\n"
	"CHN\tXi Jinping\trole=CHNGOV\tfrom=2013-03-14\n"
	"NER\tNiger\tcase=exact\n"
	"NER\tNiamey\n"
	"BGD\tBangladesh\n"
	"NPL\tNepal\n"
	"NPL\tKathmandu\n"
	"ETH\tEthiopia\n"
	"ETH\tEthiopian\n"
	"ERI\tEritrean\n"
	"USA\tUnited States\n"
	"USA\tU.S.\tcase=exact\n"
	"USA\tUS\tcase=exact\n"
	"GBR\tUK\tcase=exact\n"
	"ITA\tItaly\n"
	"ITA\tItalian\n"
	"TUR\tTurkish\n"
	"EU\tEuropean Union\n"
	"EU\tEU\tcase=exact\n"
	"IMF\tInternational Monetary Fund\n"
	"IMF\tIMF\tcase=exact\n"
	"UN\tUnited Nations\n"
	"UN\tUN\tcase=exact\n"
	"ECOWAS\tECOWAS\n";

static const struct {
	int label;
	const char *text;
} sentences[] = {
	{ENT_LABEL_COOPERATIVE, "India's central government signed a memorandum of understanding with the Punjab government to share the cost of a new flood defence scheme."},
	{ENT_LABEL_COOPERATIVE, "France, Armenia sign defence cooperation agreement"},
	{ENT_LABEL_COOPERATIVE, "Von der Leyen praised Ukraine's reforms as \"remarkable\" despite the war, saying the country had met key conditions."},
	{ENT_LABEL_COOPERATIVE, "Bangladesh's chief adviser Muhammad Yunus held talks with Xi Jinping in Beijing on his first bilateral visit abroad."},
	{ENT_LABEL_COOPERATIVE, "The Council of Europe's human rights commissioner said she would visit Georgia next month to assess the situation of protesters and journalists."},
	{ENT_LABEL_COOPERATIVE, "ECOWAS lifts most sanctions on Niger, citing humanitarian concerns"},
	{ENT_LABEL_COOPERATIVE, "Zelenskiy met with leaders of his parliamentary faction on Sunday to discuss the draft budget and mobilisation reform."},
	{ENT_LABEL_COOPERATIVE, "Ruto and Odinga sign cooperation deal, pledging to work together in government"},
	{ENT_LABEL_COOPERATIVE, "EU leaders gather in Granada for talks on enlargement"},
	{ENT_LABEL_COOPERATIVE, "G20 leaders held an emergency video summit on March 26, 2020, to coordinate their response to the coronavirus pandemic."},
	{ENT_LABEL_COOPERATIVE, "Benin reopened its land border with Niger in February, ending a six-month closure imposed under regional sanctions after the coup in Niamey."},
	{ENT_LABEL_COOPERATIVE, "The IMF approved a $4.7 billion loan package for Bangladesh in January 2023 to help it cope with falling foreign exchange reserves."},
	{ENT_LABEL_COOPERATIVE, "Mnangagwa holds talks with Putin in Moscow"},
	{ENT_LABEL_COOPERATIVE, "Putin and Turkmenistan's Serdar Berdymukhamedov discussed gas supplies in a phone call, the Kremlin said."},
	{ENT_LABEL_COOPERATIVE, "India eased restrictions on Chinese investment in some sectors, allowing faster approval of joint ventures."},
	{ENT_LABEL_COOPERATIVE, "Italy's Leonardo and Turkish drone maker Baykar agreed to form a joint venture to produce drones."},
	{ENT_LABEL_COOPERATIVE, "Indian and Nepali armies began the Surya Kiran joint exercise in Pithoragarh, focused on jungle warfare and disaster response."},
	{ENT_LABEL_COOPERATIVE, "Nepal's prime minister vowed to maintain balanced relations with both China and India, saying Kathmandu would be no one's pawn."},
	{ENT_LABEL_COOPERATIVE, "Ivory Coast's government said France would transfer its military base in Port-Bouët to Ivorian forces in early 2025."},
	{ENT_LABEL_COOPERATIVE, "Pashinyan and Macron discussed the situation in the South Caucasus in a telephone call on Tuesday, the Armenian government said."},
	{ENT_LABEL_CONFLICTUAL, "Italian taxi drivers staged a two-day strike in Rome and Milan against a government plan to open up the sector to more licences."},
	{ENT_LABEL_CONFLICTUAL, "Ukrainian anti-graft body raids defence ministry offices"},
	{ENT_LABEL_CONFLICTUAL, "Austrian prosecutors placed former Chancellor Sebastian Kurz under investigation on suspicion of giving false testimony to a parliamentary inquiry."},
	{ENT_LABEL_CONFLICTUAL, "Armenia froze its participation in the Russia-led CSTO military alliance, Pashinyan said in February 2024."},
	{ENT_LABEL_CONFLICTUAL, "South Africa deployed 25,000 soldiers to support police in quelling the unrest, the largest military deployment since the end of apartheid."},
	{ENT_LABEL_CONFLICTUAL, "Ethnic violence between Meitei and Kuki-Zo communities in Manipur has killed more than 250 people since May 2023, according to government figures."},
	{ENT_LABEL_CONFLICTUAL, "Paramilitary fighters killed more than 1,500 civilians in a massacre after seizing El Fasher in Sudan's Darfur region, according to local activists."},
	{ENT_LABEL_CONFLICTUAL, "U.S. Africa Command said it had carried out an air strike near Jilib that killed about 30 al Shabaab fighters who were attacking Somali forces."},
	{ENT_LABEL_CONFLICTUAL, "Opposition MPs walked out of the Lok Sabha after the Speaker refused to allow a discussion on the violence in Manipur."},
	{ENT_LABEL_CONFLICTUAL, "The United States formally recognised the 1915 mass killings of Armenians in the Ottoman Empire as genocide in April 2021."},
	{ENT_LABEL_CONFLICTUAL, "Dodik threatened to hold a referendum on Republika Srpska's secession from Bosnia if the international envoy's powers were not curtailed."},
	{ENT_LABEL_CONFLICTUAL, "Zambia demanded that a Chinese mining company pay compensation to farmers after a tailings dam collapse polluted the Kafue river."},
	{ENT_LABEL_CONFLICTUAL, "Pakistan moves troops from Afghan border to eastern frontier as tensions with India rise"},
	{ENT_LABEL_CONFLICTUAL, "Gunmen ambushed a convoy of Cameroonian peacekeepers in the west of the Central African Republic, killing one soldier, the UN mission said."},
	{ENT_LABEL_CONFLICTUAL, "Nigeria deploys troops to oil-rich Niger Delta ahead of vote"},
	{ENT_LABEL_CONFLICTUAL, "Tehran refused to allow IAEA inspectors access to the Fordow facility, citing security concerns after the bombing."},
	{ENT_LABEL_CONFLICTUAL, "A Pakistani court sentenced Imran Khan and his wife Bushra Bibi to 14 years in prison in a graft case involving state gifts."},
	{ENT_LABEL_CONFLICTUAL, "Ethiopia masses troops near Eritrean border, diplomats say"},
	{ENT_LABEL_CONFLICTUAL, "Togo's opposition parties condemned the adoption of the new constitution as a \"constitutional coup\" and said they would not recognise it."},
	{ENT_LABEL_CONFLICTUAL, "Sri Lankan troops captured the rebel stronghold of Kilinochchi on Friday after months of fierce fighting with the Liberation Tigers of Tamil Eelam."},
	{ENT_LABEL_NEUTRAL, "The OSCE chairman called on all parties in the South Caucasus to exercise maximum restraint and resume dialogue."},
	{ENT_LABEL_NEUTRAL, "IMF Managing Director Kristalina Georgieva urged governments to avoid broad-based fiscal support that could fuel inflation."},
	{ENT_LABEL_NEUTRAL, "Airbus delivered 766 aircraft in 2024, slightly above its revised target, the European planemaker said."},
	{ENT_LABEL_NEUTRAL, "Copper prices hit a record high on the London Metal Exchange, buoyed by expectations of tight supply from Chile, Peru and Congo."},
	{ENT_LABEL_NEUTRAL, "Norway's Haaland breaks Premier League scoring record"},
	{ENT_LABEL_NEUTRAL, "The World Food Programme appealed for $400 million to stave off famine in Somalia, where five consecutive rainy seasons had failed."},
	{ENT_LABEL_NEUTRAL, "Swiss government says neutrality rules bar arms re-export"},
	{ENT_LABEL_NEUTRAL, "President Hage Geingob died in a Windhoek hospital in February 2024, aged 82, while receiving treatment for cancer."},
	{ENT_LABEL_NEUTRAL, "Modi appealed to citizens to avoid panic buying and said the government had adequate stocks of essential commodities."},
	{ENT_LABEL_NEUTRAL, "Galatasaray won the Turkish Super Lig title for a record 25th time."},
	{ENT_LABEL_NEUTRAL, "Carney's Liberals won a fourth consecutive term in Canada's April election, falling just short of a majority in the House of Commons."},
	{ENT_LABEL_NEUTRAL, "Ngozi Okonjo-Iweala, a former Nigerian finance minister, became the first woman and first African to lead the WTO in March 2021."},
	{ENT_LABEL_NEUTRAL, "The Archbishop of Canterbury called for calm after a night of unrest in Southport."},
	{ENT_LABEL_NEUTRAL, "Arabica coffee futures climb on Ethiopian, Ugandan supply worries"},
	{ENT_LABEL_NEUTRAL, "UK inflation eased to 6.7 percent in August, the Office for National Statistics said, confounding economists' expectations of a rise."},
	{ENT_LABEL_NEUTRAL, "Exiled opposition leader Sviatlana Tsikhanouskaya said the release of political prisoners should not be seen as a change in the regime's nature."},
	{ENT_LABEL_NEUTRAL, "Robert Mugabe, who led Zimbabwe for 37 years after independence in 1980, resigned in November 2017 following a military takeover."},
	{ENT_LABEL_NEUTRAL, "Ethiopia floated the birr in July 2024, allowing the currency to lose about 30 percent of its value against the dollar on the first day of trading."},
	{ENT_LABEL_NEUTRAL, "SADC asks Lesotho to speed up reforms before next election"},
	{ENT_LABEL_NEUTRAL, "Irish voters reject constitutional changes on family and care"},
};

ent_model *fuzz_train_model(ent_actors **actors_out)
{
	ent_error err = ENT_ERROR_INIT;
	ent_dataset *d = NULL;
	ent_actors *actors = NULL;
	ent_model *m = NULL;
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	int rc = ent_dataset_new(&d, &err);
	if (rc == ENT_OK)
		rc = ent_actors_new(&actors, &err);
	if (rc == ENT_OK)
		rc = ent_actors_load(actors, fuzz_actors_text, strlen(fuzz_actors_text), "fuzz-actors", &err);
	for (size_t i = 0; rc == ENT_OK && i < sizeof sentences / sizeof sentences[0]; i++)
		rc = ent_dataset_add(d, sentences[i].label, sentences[i].text, strlen(sentences[i].text),
				     "fuzz-train", i + 1, &err);
	if (rc == ENT_OK)
		rc = ent_model_train(&m, d, actors, &opt, &err);
	if (rc != ENT_OK) {
		fprintf(stderr, "fuzz: training the model failed: %s\n", err.message);
		ent_actors_free(actors);
		actors = NULL;
	}
	ent_dataset_free(d);
	*actors_out = actors;
	return m;
}
