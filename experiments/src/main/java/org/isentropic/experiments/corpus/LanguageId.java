package org.isentropic.experiments.corpus;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small stop-word language identifier for the languages of the European Parliament's sample (and the
 * English of the State of the Union corpus). A text's words (lower-cased runs of letters) are counted against
 * each language's list of its most frequent function words; the language with the most hits wins when they
 * make at least {@value #MIN_SHARE} of the words, else the text is {@link #UNDETERMINED}. Greek is told by its
 * script (most letters Greek). The lists are the languages' commonest articles, prepositions, pronouns and
 * auxiliaries, written for this class.
 */
public final class LanguageId {

    /** The answer for a text no list covers well enough (too short, another language, mixed). */
    public static final String UNDETERMINED = "und";
    /** Share of a text's words that must be stop words of the winning language. */
    public static final double MIN_SHARE = 0.15;

    private static final Map<String, Set<String>> STOP_WORDS = new LinkedHashMap<>();

    static {
        put("en", "the of and to in is that for it this we on be are with as not by have which will was has "
                + "our an at from or but their been they its would there all these should can more than must");
        put("de", "der die und das ist nicht zu den von mit sich des auf für ein eine wir dass auch es im dem "
                + "werden wird sind haben einer nur aber noch wie oder bei diese als um");
        put("fr", "le la les de des et est que un une pour dans nous qui pas du ce sur au il en à sont par plus "
                + "cette été ont ne aux avec mais se leur");
        put("it", "il di che la e per non della un una sono è del gli le si questo alla nel anche dei delle ha "
                + "con da in più essere come ma al questa");
        put("es", "el la de que y los las en del por una es se para con un al lo no su como más pero sus este "
                + "esta ha sobre también muy");
        put("pt", "de que o a os as do da em um uma para com não dos das é se no na ao mais como mas por foi "
                + "pela pelo são também nos este esta");
        put("nl", "de het een van en is dat niet op te voor met zijn in wij ook die er aan dit worden wordt "
                + "hebben door naar om maar als bij deze");
        put("sv", "och att det som är en av för på med till har den vi inte de ett om kan ska också detta "
                + "eller men från vara så sig har");
        put("da", "og at det er en af for på med til har den vi ikke de et som om kan skal også dette eller "
                + "men fra være så sig være");
        put("fi", "ja on että ei se me ovat myös mutta tämä kuin ole joka sen niin ovat tai olla jotka kun "
                + "hän tämän sekä vain mukaan");
    }

    private LanguageId() {
    }

    private static void put(String language, String words) {
        STOP_WORDS.put(language, Set.of(java.util.Arrays.stream(words.split(" ")).distinct().toArray(String[]::new)));
    }

    /** The languages this identifier can answer (ISO 639-1 codes), Greek ({@code el}) included. */
    public static Set<String> languages() {
        Set<String> all = new java.util.LinkedHashSet<>(STOP_WORDS.keySet());
        all.add("el");
        return all;
    }

    /** The ISO 639-1 code of {@code text}'s language, or {@link #UNDETERMINED}. */
    public static String identify(String text) {
        int letters = 0;
        int greek = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.UnicodeBlock.of(c) == Character.UnicodeBlock.GREEK) {
                    greek++;
                }
            }
        }
        if (letters > 0 && greek * 2 > letters) {
            return "el";
        }
        String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+");
        int total = 0;
        Map<String, Integer> hits = new LinkedHashMap<>();
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            total++;
            for (Map.Entry<String, Set<String>> e : STOP_WORDS.entrySet()) {
                if (e.getValue().contains(w)) {
                    hits.merge(e.getKey(), 1, Integer::sum);
                }
            }
        }
        String best = UNDETERMINED;
        int bestHits = 0;
        for (Map.Entry<String, Integer> e : hits.entrySet()) {
            if (e.getValue() > bestHits) {
                best = e.getKey();
                bestHits = e.getValue();
            }
        }
        return total > 0 && bestHits >= MIN_SHARE * total ? best : UNDETERMINED;
    }
}
