using System.Linq;
using System.Management.Automation;

namespace OtpTools
{
    /// <summary>
    /// -To from a piped row whose recipient column is not text (a number from ConvertFrom-Json or a spreadsheet):
    /// PowerShell would otherwise bind the whole row by value, turned into text ("@{Phone=61412345678}"), before it
    /// tries the column by name. The row's recipient column is taken instead, as text; anything else passes unchanged.
    /// </summary>
    public sealed class RecipientColumnsAttribute : ArgumentTransformationAttribute
    {
        public const string Contact = "Contact";
        public const string PhoneNumber = "PhoneNumber";
        public const string Phone = "Phone";
        public const string Mobile = "Mobile";
        public const string Recipient = "Recipient";
        public const string Email = "Email";
        private static readonly string[] Columns = { "To", Contact, PhoneNumber, Phone, Mobile, Recipient, Email };

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (!(inputData is PSObject row) || row.BaseObject is string || !(row.BaseObject is PSCustomObject)) return inputData;
            var column = Columns.Select(name => row.Properties[name]).FirstOrDefault(p => p?.Value != null);
            return column == null ? inputData : System.Convert.ToString(column.Value is PSObject value ? value.BaseObject : column.Value,
                System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
