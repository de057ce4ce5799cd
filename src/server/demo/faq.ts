import type { Queryable } from '../../platform/db.ts';

/**
 * The demo bot's curated answers: everyday questions residents ask a city, in fi/sv/en for
 * Esimerkkilä and in Finnish for Järvikylä. General guidance only — no phone numbers, prices
 * or dates that a real city would have to check; the linked catalog service's card carries
 * the facts (hours, links). Services are linked by their PTV id (the catalog's external id),
 * so the links survive a fresh import. Idempotent: a tenant that has any FAQ entry is left
 * alone, so staff edits survive restarts.
 */

interface DemoFaq {
  questions: { fi: string[]; sv?: string[]; en?: string[] };
  answers: { fi: string; sv?: string; en?: string };
  /** PTV id of the linked catalog service. */
  ptvService?: string;
}

const ESIMERKKILA: DemoFaq[] = [
  {
    ptvService: 'ee42ea4a-3841-4ecf-b30d-95bc433ac2f0',
    questions: {
      fi: ['Miten haen päivähoitopaikkaa?', 'päiväkotipaikan hakeminen', 'varhaiskasvatushakemus', 'milloin päivähoitoa pitää hakea'],
      sv: ['Hur ansöker jag om dagvårdsplats?', 'ansökan om daghemsplats', 'ansökan om småbarnspedagogik'],
      en: ['How do I apply for a daycare place?', 'daycare application', 'apply for early childhood education'],
    },
    answers: {
      fi: 'Varhaiskasvatuspaikkaa haetaan sähköisesti viimeistään neljä kuukautta ennen kuin paikkaa tarvitaan. Ohjeet ja linkki hakemukseen ovat alla olevassa palvelukortissa.',
      sv: 'Plats inom småbarnspedagogiken söks elektroniskt senast fyra månader innan platsen behövs. Anvisningar och länken till ansökan finns i tjänstekortet nedan.',
      en: 'A place in early childhood education is applied for online at least four months before it is needed. Instructions and the link to the application are in the service card below.',
    },
  },
  {
    ptvService: '3a5ac2ae-8b05-43cf-b767-ed7d1dd2a67e',
    questions: {
      fi: ['Roska-astiaa ei ole tyhjennetty', 'milloin jäteastia tyhjennetään', 'jätteiden tyhjennysväli', 'roskis jäi tyhjentämättä'],
      sv: ['Soptunnan har inte tömts', 'när töms soptunnan', 'tömningsintervall för avfallskärl'],
      en: ['My bin was not emptied', 'when is the waste bin emptied', 'waste collection schedule'],
    },
    answers: {
      fi: 'Kiinteistöjen jäteastiat tyhjentää alueen jätehuoltoyhtiö. Tyhjennysväliä voi muuttaa ja tyhjentämättä jääneestä astiasta voi ilmoittaa jätehuollon asiointipalvelussa; tiedot ovat palvelukortissa.',
      sv: 'Fastigheternas avfallskärl töms av regionens avfallsbolag. Tömningsintervallet kan ändras och ett kärl som inte tömts kan anmälas i avfallshanteringens e-tjänst; uppgifterna finns i tjänstekortet.',
      en: 'Property waste bins are emptied by the regional waste management company. You can change the emptying interval and report a bin that was not emptied in the waste management e-service; the details are in the service card.',
    },
  },
  {
    ptvService: 'd284d32a-020b-452d-9b0c-b51b45f298b6',
    questions: {
      fi: ['Miten saan kirjastokortin?', 'kirjastokortti', 'kadotin kirjastokorttini', 'kirjastokortin hankkiminen'],
      sv: ['Hur får jag ett lånekort?', 'lånekort till biblioteket', 'jag har tappat mitt lånekort'],
      en: ['How do I get a library card?', 'library card', 'I lost my library card'],
    },
    answers: {
      fi: 'Kirjastokortin saa maksutta mistä tahansa kaupungin kirjastosta henkilöllisyystodistusta vastaan. Kadonneesta kortista kannattaa ilmoittaa kirjastoon heti.',
      sv: 'Du får ett lånekort avgiftsfritt på vilket som helst av stadens bibliotek mot uppvisande av identitetsbevis. Meddela biblioteket genast om du har tappat kortet.',
      en: 'You get a library card free of charge at any city library by showing an identity document. Tell the library at once if you have lost your card.',
    },
  },
  {
    ptvService: 'aeb4c775-ab68-467b-a751-52e1e47aa9df',
    questions: {
      fi: ['Miten haen asukaspysäköintitunnuksen?', 'asukaspysäköinti', 'pysäköintilupa asukkaalle', 'pysäköintitunnus'],
      sv: ['Hur ansöker jag om boendeparkeringstillstånd?', 'boendeparkering', 'parkeringstillstånd för boende'],
      en: ['How do I apply for a resident parking permit?', 'resident parking', 'parking permit'],
    },
    answers: {
      fi: 'Asukaspysäköintitunnusta voi hakea ajoneuvolleen, jos asuu asukaspysäköintialueella. Hakuohjeet ovat palvelukortissa.',
      sv: 'Boendeparkeringstillstånd kan sökas för ett fordon om du bor inom ett område med boendeparkering. Anvisningarna finns i tjänstekortet.',
      en: 'You can apply for a resident parking permit for your vehicle if you live in a resident parking area. The instructions are in the service card.',
    },
  },
  {
    ptvService: '1a78b8bd-95d5-48ee-b195-2fda78803b7d',
    questions: {
      fi: ['Tarvitsenko rakennusluvan?', 'rakennuslupa', 'rakentamislupa', 'miten haen rakennuslupaa'],
      sv: ['Behöver jag bygglov?', 'bygglov', 'hur ansöker jag om bygglov'],
      en: ['Do I need a building permit?', 'building permit', 'how do I apply for a building permit'],
    },
    answers: {
      fi: 'Rakentamislupa tarvitaan uuden rakennuksen rakentamiseen, laajentamiseen ja merkittäviin korjaus- ja muutostöihin. Lupaa haetaan sähköisesti; rakennusvalvonnan asiakaspalvelu neuvoo, tarvitseeko hankkeesi luvan.',
      sv: 'Bygglov behövs för att bygga en ny byggnad, för tillbyggnad och för betydande reparations- och ändringsarbeten. Lovet söks elektroniskt; byggnadstillsynens kundtjänst ger råd om ditt projekt behöver lov.',
      en: 'A building permit is needed to build a new building, to extend one and for major repair and alteration work. It is applied for online; building control customer service can tell you whether your project needs a permit.',
    },
  },
  {
    questions: {
      fi: ['Miten varaan ajan terveyskeskukseen?', 'terveyskeskus ajanvaraus', 'lääkäriaika', 'terveysaseman ajanvaraus'],
      sv: ['Hur bokar jag tid till hälsocentralen?', 'tidsbokning hälsocentral', 'läkartid'],
      en: ['How do I book a health centre appointment?', 'health centre appointment', 'doctor appointment'],
    },
    answers: {
      fi: 'Terveyskeskuspalvelut järjestää hyvinvointialue, ei kaupunki. Varaa aika oman hyvinvointialueesi terveysasemalta sen verkkosivujen tai puhelinpalvelun kautta. Hätätilanteessa soita 112.',
      sv: 'Hälsocentralstjänsterna ordnas av välfärdsområdet, inte av staden. Boka tid på ditt välfärdsområdes hälsostation via dess webbplats eller telefontjänst. I nödsituationer ring 112.',
      en: 'Health centre services are provided by the wellbeing services county, not by the city. Book an appointment at your wellbeing services county\'s health station through its website or telephone service. In an emergency call 112.',
    },
  },
  {
    ptvService: '4f3083d1-3ac5-4db8-9153-c5ab90dc9fc9',
    questions: {
      fi: ['Milloin uimahalli on auki?', 'uimahallin aukioloajat', 'saunavuorot uimahallissa', 'onko uimahalli auki'],
      sv: ['När är simhallen öppen?', 'simhallens öppettider', 'bastu i simhallen'],
      en: ['When is the swimming hall open?', 'swimming hall opening hours', 'sauna at the swimming hall'],
    },
    answers: {
      fi: 'Uimahallin tämänpäiväiset aukioloajat näkyvät alla olevassa palvelukortissa, ja koko viikon ajat palvelun sivulla. Saunat ovat käytössä uimahallin aukioloaikoina.',
      sv: 'Simhallens öppettider i dag visas i tjänstekortet nedan och hela veckans tider på tjänstens sida. Bastun används under simhallens öppettider.',
      en: 'Today\'s opening hours of the swimming hall are in the service card below, and the whole week\'s hours on the service page. The saunas are in use during the swimming hall\'s opening hours.',
    },
  },
  {
    ptvService: '4f01e989-ee15-4370-9ec1-e4eadeeabf3b',
    questions: {
      fi: ['Minne vien vanhan sohvan?', 'suurikokoinen jäte', 'kierrätysasema', 'huonekalujen poisvienti'],
      sv: ['Vart kan jag föra en gammal soffa?', 'grovavfall', 'återvinningsstation'],
      en: ['Where can I take an old sofa?', 'bulky waste', 'recycling station'],
    },
    answers: {
      fi: 'Suurikokoisen jätteen, kuten huonekalut ja patjat, voi viedä kierrätysasemalle tai tilata noudon kotoa. Kierrätysaseman tiedot ja aukioloajat ovat palvelukortissa.',
      sv: 'Grovavfall, till exempel möbler och madrasser, kan föras till återvinningsstationen eller hämtas hemifrån mot beställning. Uppgifter och öppettider finns i tjänstekortet.',
      en: 'Bulky waste such as furniture and mattresses can be taken to the recycling station, or you can order a collection from home. The station\'s details and hours are in the service card.',
    },
  },
  {
    ptvService: '7b0d4f48-8cf3-47b4-825d-fe137f5807f5',
    questions: {
      fi: ['Miten ilmoitan lapsen kouluun?', 'kouluun ilmoittautuminen', 'ekaluokalle ilmoittautuminen'],
      sv: ['Hur anmäler jag mitt barn till skolan?', 'skolinskrivning', 'anmälan till första klass'],
      en: ['How do I enrol my child in school?', 'school enrolment', 'first grade enrolment'],
    },
    answers: {
      fi: 'Oppivelvollisuusikäiset lapset ilmoitetaan perusopetuksen ensimmäiselle luokalle alkuvuodesta, ja kaupunki osoittaa lapselle lähikoulun. Ilmoittautumisohjeet ovat palvelukortissa.',
      sv: 'Barn i läropliktsåldern anmäls till första klass i början av året, och staden anvisar barnet en närskola. Anvisningarna finns i tjänstekortet.',
      en: 'Children of compulsory school age are enrolled in the first grade early in the year, and the city assigns the child a local school. The instructions are in the service card.',
    },
  },
  {
    ptvService: 'a17060fe-8e03-4e7c-833b-cf10489e5cce',
    questions: {
      fi: ['Vesi on poikki', 'vesikatko', 'hanasta ei tule vettä', 'vesijohtovuoto'],
      sv: ['Vattnet är avstängt', 'vattenavbrott', 'det kommer inget vatten ur kranen'],
      en: ['There is no water', 'water outage', 'no water from the tap'],
    },
    answers: {
      fi: 'Vesilaitos tiedottaa suunnitelluista vesikatkoista ja häiriöistä. Vuodoista ja äkillisistä häiriöistä ilmoitetaan vesilaitoksen vikapäivystykseen, joka palvelee ympäri vuorokauden; yhteystiedot ovat palvelukortissa.',
      sv: 'Vattenverket informerar om planerade vattenavbrott och störningar. Läckor och plötsliga störningar anmäls till vattenverkets felanmälan, som betjänar dygnet runt; kontaktuppgifterna finns i tjänstekortet.',
      en: 'The water utility announces planned water outages and disruptions. Leaks and sudden disruptions are reported to the water utility\'s fault service, which is open around the clock; the contact details are in the service card.',
    },
  },
  {
    ptvService: '978415b5-4639-477f-bf60-4512da256692',
    questions: {
      fi: ['Miten annan palautetta kaupungille?', 'palaute', 'haluan tehdä valituksen', 'kehitysehdotus'],
      sv: ['Hur ger jag respons till staden?', 'respons', 'jag vill klaga'],
      en: ['How do I give feedback to the city?', 'feedback', 'I want to make a complaint'],
    },
    answers: {
      fi: 'Palautetta, kehitysehdotuksia ja kiitosta voi antaa kaupungin palautepalvelussa: sivun alalaidan linkki "Anna palautetta". Jos annat sähköpostiosoitteesi, saat vahvistuksen ja linkin, jolla voit seurata palautteen käsittelyä.',
      sv: 'Respons, utvecklingsförslag och tack kan ges i stadens responstjänst: länken "Ge respons" längst ner på sidan. Om du anger din e-postadress får du en bekräftelse och en länk där du kan följa hur responsen behandlas.',
      en: 'Feedback, suggestions and thanks can be given in the city\'s feedback service: the "Give feedback" link at the bottom of the page. If you give your e-mail address, you get a confirmation and a link to follow how your feedback is handled.',
    },
  },
  {
    ptvService: 'f5d9067c-8a1e-4910-8a7c-34a67dea6ef1',
    questions: {
      fi: ['Unohdin tavaroita uimahalliin', 'löytötavarat', 'kadonnut tavara kirjastosta', 'unohtuneet tavarat'],
      sv: ['Jag glömde saker i simhallen', 'hittegods', 'borttappade saker'],
      en: ['I left something at the swimming hall', 'lost property', 'lost and found'],
    },
    answers: {
      fi: 'Kaupungin toimipisteisiin unohtuneita tavaroita säilytetään ensin siinä toimipisteessä, johon ne unohtuivat. Kysy ensin sieltä; lisätiedot ovat palvelukortissa.',
      sv: 'Saker som glömts i stadens verksamhetsställen förvaras först på det ställe där de glömdes. Fråga först där; mer information finns i tjänstekortet.',
      en: 'Things left at city facilities are first kept at the facility where they were left. Ask there first; more information is in the service card.',
    },
  },
];

const JARVIKYLA: DemoFaq[] = [
  {
    questions: { fi: ['Miten annan palautetta kunnalle?', 'palaute', 'haluan antaa palautetta'] },
    answers: { fi: 'Palautetta voi antaa kunnan palautepalvelussa: sivun alalaidan linkki "Anna palautetta". Jos annat sähköpostiosoitteesi, saat vahvistuksen ja linkin, jolla voit seurata palautteen käsittelyä.' },
  },
  {
    questions: { fi: ['Miten otan yhteyttä kuntaan?', 'Miten otan yhteyttä kirjaamoon?', 'kunnan yhteystiedot'] },
    answers: { fi: 'Kunnan yhteystiedot – puhelinnumero, sähköpostiosoite ja käyntiosoite – ovat jokaisen sivun alalaidassa.' },
  },
  {
    questions: { fi: ['Mistä löydän kunnan palvelut?', 'palveluhaku', 'kunnan palvelut'] },
    answers: { fi: 'Kunnan palvelut löydät etusivun hakukentästä: kirjoita omin sanoin, mitä tarvitset, niin haku näyttää sopivat palvelut ja sivut.' },
  },
];

const FAQ: Record<string, DemoFaq[]> = { esimerkkila: ESIMERKKILA, jarvikyla: JARVIKYLA };

export async function seedDemoFaq(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  const entries = FAQ[slug];
  if (!entries) return;
  const existing = await tx.query('select 1 from inbox_faq_entries where tenant_id = $1 limit 1', [tenantId]);
  if (existing.rows.length) return;
  for (const e of entries) {
    await tx.query(
      `insert into inbox_faq_entries (tenant_id, questions, answers, service_id)
       values ($1, $2, $3, (select id from catalog_services where tenant_id = $1 and external_id = $4 and status = 'published'))`,
      [tenantId, JSON.stringify(e.questions), JSON.stringify(e.answers), e.ptvService ?? null],
    );
  }
}
