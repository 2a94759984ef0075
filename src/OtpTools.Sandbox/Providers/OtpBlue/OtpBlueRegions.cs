using System.Collections.Generic;

namespace OtpTools.Sandbox.Providers.OtpBlue
{
    /// <summary>The document's "destinations open by default", as available-regions returns them.</summary>
    internal static class OtpBlueRegions
    {
        public static readonly IReadOnlyList<(string Name, string Code)> Open = new[]
        {
            ("Algeria", "DZ"), ("Angola", "AO"), ("Côte d'Ivoire", "CI"), ("Egypt", "EG"), ("Ethiopia", "ET"), ("Ghana", "GH"),
            ("Guinea", "GN"), ("Kenya", "KE"), ("Morocco", "MA"), ("Nigeria", "NG"), ("Senegal", "SN"), ("South Africa", "ZA"),
            ("Syria", "SY"), ("Azerbaijan", "AZ"), ("Afghanistan", "AF"), ("Bangladesh", "BD"), ("Cambodia", "KH"),
            ("Georgia", "GE"), ("Japan", "JP"), ("Indonesia", "ID"), ("Iran", "IR"), ("Iraq", "IQ"), ("Israel", "IL"),
            ("Kazakhstan", "KZ"), ("Kuwait", "KW"), ("Kyrgyzstan", "KG"), ("Lebanon", "LB"), ("Malaysia", "MY"),
            ("Maldives", "MV"), ("Mongolia", "MN"), ("Myanmar", "MM"), ("Nepal", "NP"), ("Pakistan", "PK"),
            ("Philippines", "PH"), ("Qatar", "QA"), ("Russian Federation", "RU"), ("Saudi Arabia", "SA"), ("Singapore", "SG"),
            ("South Korea", "KR"), ("Sri Lanka", "LK"), ("United Arab Emirates", "AE"), ("Uzbekistan", "UZ"), ("Vietnam", "VN"),
            ("Andorra", "AD"), ("Armenia", "AM"), ("Austria", "AT"), ("Belarus", "BY"), ("Belgium", "BE"),
            ("Bosnia & Herzegovina", "BA"), ("Bulgaria", "BG"), ("Denmark", "DK"), ("Faroe Islands", "FO"), ("France", "FR"),
            ("Germany", "DE"), ("Finland", "FI"), ("Iceland", "IS"), ("Ireland", "IE"), ("Italy", "IT"), ("Liechtenstein", "LI"),
            ("Luxembourg", "LU"), ("Malta", "MT"), ("Moldova", "MD"), ("Monaco", "MC"), ("Netherlands", "NL"), ("Norway", "NO"),
            ("Poland", "PL"), ("Portugal", "PT"), ("Romania", "RO"), ("San Marino", "SM"), ("Slovenia", "SI"), ("Serbia", "RS"),
            ("Spain", "ES"), ("Sweden", "SE"), ("Switzerland", "CH"), ("Ukraine", "UA"), ("United Kingdom", "GB"),
            ("Isle of Man", "IM"), ("Jersey", "JE"), ("Gibraltar", "GI"), ("Cayman Islands", "KY"),
            ("Turks and Caicos Islands", "TC"), ("Bolivia", "BO"), ("Canada", "CA"), ("Colombia", "CO"),
            ("Dominican Republic", "DO"), ("Ecuador", "EC"), ("Mexico", "MX"), ("Puerto Rico", "PR"),
            ("United States of America", "US"), ("Australia", "AU"), ("New Zealand", "NZ"),
        };
    }
}
