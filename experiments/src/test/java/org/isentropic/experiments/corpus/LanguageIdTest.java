package org.isentropic.experiments.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stop-word identifier on short snippets of known language (sentences written for this test). */
class LanguageIdTest {

    static final Map<String, String> SNIPPETS = Map.ofEntries(
            Map.entry("en", "The committee has asked that the report should be sent to the members before the vote, "
                    + "and we are not yet sure which of the proposals will be accepted."),
            Map.entry("de", "Der Ausschuss hat gefordert, dass der Bericht den Mitgliedern vor der Abstimmung "
                    + "zugeschickt wird, und wir wissen noch nicht, welche Vorschläge angenommen werden."),
            Map.entry("fr", "La commission a demandé que le rapport soit envoyé aux membres avant le vote, et nous ne "
                    + "savons pas encore quelles propositions seront acceptées par le conseil."),
            Map.entry("it", "La commissione ha chiesto che la relazione sia inviata ai membri prima del voto, e non "
                    + "sappiamo ancora quali delle proposte saranno accolte dal consiglio."),
            Map.entry("es", "La comisión ha pedido que el informe se envíe a los miembros antes de la votación, y "
                    + "todavía no sabemos cuáles de las propuestas serán aceptadas por el consejo."),
            Map.entry("pt", "A comissão pediu que o relatório seja enviado aos membros antes da votação, e ainda não "
                    + "sabemos quais das propostas serão aceites pelo conselho."),
            Map.entry("nl", "De commissie heeft gevraagd dat het verslag voor de stemming naar de leden wordt "
                    + "gestuurd, en wij weten nog niet welke voorstellen zullen worden aangenomen."),
            Map.entry("sv", "Utskottet har begärt att betänkandet ska skickas till ledamöterna före omröstningen, och "
                    + "vi vet ännu inte vilka av förslagen som kommer att antas."),
            Map.entry("da", "Udvalget har bedt om, at betænkningen bliver sendt til medlemmerne før afstemningen, og "
                    + "vi ved endnu ikke, hvilke af forslagene der vil blive vedtaget."),
            Map.entry("fi", "Valiokunta on pyytänyt, että mietintö lähetetään jäsenille ennen äänestystä, mutta me "
                    + "emme vielä tiedä, mitkä ehdotukset hyväksytään ja kuinka se tapahtuu."),
            Map.entry("el", "Η επιτροπή ζήτησε να σταλεί η έκθεση στα μέλη πριν από την ψηφοφορία."));

    @Test
    void everySnippetIsFoundInItsLanguage() {
        SNIPPETS.forEach((language, text) -> assertEquals(language, LanguageId.identify(text), text));
    }

    @Test
    void textWithoutFunctionWordsIsUndetermined() {
        assertEquals(LanguageId.UNDETERMINED, LanguageId.identify("12345 67890 ---"));
        assertEquals(LanguageId.UNDETERMINED, LanguageId.identify("Xylophone zebra quartz jukebox"));
        assertEquals(LanguageId.UNDETERMINED, LanguageId.identify(""));
    }
}
